namespace Functions.Tests.Cli;

/// <summary>./fn nag: cdk-nag's findings on a template, one per line on stdout, exit 1 when there is any.</summary>
public sealed class NagCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("fn-nag-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_template_with_a_finding_is_reported_finding_by_finding_and_exits_1()
    {
        // Arrange: a queue with neither a dead-letter queue nor TLS enforced.
        var template = Path.Combine(_folder.FullName, "queue.template.json");
        await File.WriteAllTextAsync(template, """{"Resources":{"Queue":{"Type":"AWS::SQS::Queue","Properties":{}}}}""");

        // Act
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(3), null, "nag", template);

        // Assert
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Contains(lines, l => l.StartsWith("AwsSolutions-SQS3 on Queue", StringComparison.Ordinal));
        Assert.Matches(@"^[1-9]\d* findings \(0 suppressed with reasons\)$", lines[^1]);
    }

    [Fact]
    public async Task A_template_that_is_not_there_is_bad_usage()
    {
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(1), null, "nag", Path.Combine(_folder.FullName, "missing.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a file: give a synthesized template", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
