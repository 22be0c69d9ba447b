namespace Functions.Tests.Cli;

/// <summary>
/// One error policy for every verb (tools/UserError.cs, applied in tools/Program.cs): a problem the user can fix is
/// one line that says how, exit 1; bad usage exit 2; never a stack trace. The real CLI, as a user runs it.
/// </summary>
public sealed class ErrorPolicyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(2, "The event is not valid JSON (line 1, byte 2).", "invoke", "Hello", "--payload", "{bad")]
    [InlineData(2, "--client-context: Client context is JSON but not an object", "invoke", "Hello", "--payload", "{}", "--client-context", "[1]")]
    [InlineData(2, "There is no function NoSuch under lambdas/", "build", "NoSuch")]
    [InlineData(2, "is not a function name", "new", "bad_name", "--route", "GET /bad")]
    [InlineData(1, "There is no price file", "bench", "Hello", "--prices", "/nonexistent/prices.json")]
    [InlineData(2, "--memory 64: Lambda's memory sizes are whole MB from 128 to 10240.", "tune", "Hello", "--memory", "64")]
    public async Task A_problem_the_user_can_fix_is_one_line_and_its_exit_code(int exitCode, string message, params string[] arguments)
    {
        var result = await FnCli.RunAsync(Patience, null, arguments);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Argument 'bogus' not recognized", "invoke", "Hello", "--cpu", "bogus")]
    [InlineData("Unrecognized command or argument '--nope'", "serve", "--nope")]
    [InlineData("Required command was not provided", new string[0])]
    public async Task A_command_line_that_does_not_parse_is_exit_2_with_nothing_on_stdout(string message, params string[] arguments)
    {
        var result = await FnCli.RunAsync(Patience, null, arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
