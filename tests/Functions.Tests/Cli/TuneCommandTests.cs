using System.Text.Json;
using System.Xml.Linq;
using Functions.Tests.Functions;

namespace Functions.Tests.Cli;

/// <summary>./fn tune end to end: a real Native AOT build, real processes at each size, the three report files.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class TuneCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_sweep_of_Hello_writes_a_table_per_size_and_markdown_json_and_svg()
    {
        // Arrange
        var output = Directory.CreateTempSubdirectory("fn-tune-");
        try
        {
            // Act
            var result = await FnCli.RunAsync(Patience, null, "tune", "Hello", "--memory", "256,128", "--cold", "1", "--warm", "3", "--strategy", "speed", "--out", output.FullName);

            // Assert
            Assert.True(result.ExitCode == 0, result.Stderr);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "tune.json"))).RootElement;
            Assert.Equal("speed", json.GetProperty("strategy").GetString());
            var hello = json.GetProperty("results")[0];
            Assert.Equal("Hello", hello.GetProperty("function").GetString());
            var sizes = hello.GetProperty("sizes").EnumerateArray().ToList();
            Assert.Equal([128, 256], sizes.Select(s => s.GetProperty("memoryMb").GetInt32()));
            Assert.All(sizes, s =>
            {
                Assert.Equal(1, s.GetProperty("cold").GetArrayLength());
                Assert.Equal(3, s.GetProperty("warm").GetArrayLength());
                Assert.InRange(s.GetProperty("maxMemoryUsedMb").GetInt32(), 1, s.GetProperty("memoryMb").GetInt32());
            });
            Assert.Contains(hello.GetProperty("picks").GetProperty("speed").GetInt32(), new[] { 128, 256 });
            Assert.Equal("svg", XDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "tune.svg"))).Root!.Name.LocalName);
            Assert.Contains("| 128 |", File.ReadAllText(Path.Combine(output.FullName, "tune.md")), StringComparison.Ordinal);
            Assert.Contains("Picks", result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("tune:", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("tune: Hello at 128 MB", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Name the functions to tune", "tune")]
    [InlineData("--memory 64: Lambda's memory sizes are whole MB from 128 to 10240.", "tune", "Hello", "--memory", "128,64")]
    [InlineData("--memory 128,big: expected a comma-separated list.", "tune", "Hello", "--memory", "128,big")]
    [InlineData("--cold must be at least 1.", "tune", "Hello", "--cold", "0")]
    [InlineData("Argument 'fastest' not recognized", "tune", "Hello", "--strategy", "fastest")]
    [InlineData("does not exist", "tune", "Hello", "--event", "/nonexistent/event.json")]
    [InlineData("Give either functions of this repository or --remote NAME|ARN, not both.", "tune", "Hello", "--remote", "Hello")]
    [InlineData("--region goes with --remote NAME|ARN.", "tune", "Hello", "--region", "eu-west-1")]
    public async Task Bad_usage_is_one_line_and_exit_2(string message, params string[] arguments)
    {
        // Act
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(1), null, arguments);

        // Assert
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
