using System.Text.Json;
using FnApp.Tests.Cli;

namespace FnApp.Tests.Functions;

/// <summary>Hello answers its sample event through the real binary.</summary>
public sealed class HelloFunctionTests
{
    [Fact]
    public async Task Hello_answers_its_sample_event_with_200()
    {
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(5), null, "invoke", "Hello", "--event", "events/hello.json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(200, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("statusCode").GetInt32());
    }
}
