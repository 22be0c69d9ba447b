using System.Collections.Concurrent;
using System.Globalization;

namespace Functions.Tests.Building;

/// <summary>A child process as instances, dynalite and builds start it: a real /bin/sh, its output, its tree, its end.</summary>
public sealed class ChildProcessTests
{
    /// <summary>Bounds any wait on the shell: it answers in milliseconds.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_tool_that_leaves_a_process_holding_its_output_is_done_when_it_exits_with_what_it_wrote()
    {
        // Act: the background sleep keeps the output pipe open, as MSBuild's reused nodes can after a build.
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo started; sleep 20 & echo done; echo oops >&2; exit 3"]).WaitAsync(Patience);

        // Assert
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("started\ndone\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
    }

    [Fact]
    public async Task A_child_started_without_the_callers_environment_sees_only_the_variables_it_is_given()
    {
        // Arrange
        var lines = new ConcurrentQueue<string>();
        var start = new ChildProcessStart("/usr/bin/env", [])
        {
            OnLine = lines.Enqueue,
            InheritEnvironment = false,
            Environment = new Dictionary<string, string> { ["GIVEN"] = "given" },
        };

        // Act
        using var child = ChildProcess.Start(start);
        await child.WaitForExitAsync().WaitAsync(Patience);

        // Assert
        Assert.Equal(["GIVEN=given"], lines);
    }

    [Fact]
    public async Task Both_output_streams_reach_the_caller_line_by_line()
    {
        // Arrange
        var lines = new ConcurrentQueue<string>();

        // Act
        using var child = ChildProcess.Start(Shell("echo out; echo err >&2", lines));
        await child.WaitForExitAsync().WaitAsync(Patience);

        // Assert
        Assert.Equal(["err", "out"], lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_child_that_keeps_the_terminal_gives_the_caller_its_stdout_lines_alone()
    {
        // Arrange: its stderr is this test run's own, as a deploy's progress is the user's terminal's.
        var lines = new ConcurrentQueue<string>();
        var start = Shell("echo out; echo err >&2", lines) with { KeepTerminal = true };

        // Act
        using var child = ChildProcess.Start(start);
        await child.WaitForExitAsync().WaitAsync(Patience);

        // Assert
        Assert.Equal(["out"], lines);
        Assert.Equal(0, child.Exit!.Value.Code);
    }

    [Fact]
    public async Task Killing_a_child_kills_what_it_started_too()
    {
        // Arrange
        var lines = new ConcurrentQueue<string>();
        using var child = ChildProcess.Start(Shell("sleep 60 & echo $!; wait", lines));
        await Eventually.WaitUntilAsync(() => !lines.IsEmpty, Patience);
        var grandchild = int.Parse(lines.Single(), CultureInfo.InvariantCulture);

        // Act
        var gone = await child.StopAsync(Patience);

        // Assert
        Assert.True(gone, "The shell is gone.");
        await Eventually.WaitUntilAsync(() => !IsRunning(grandchild), Patience);
    }

    [Theory]
    [InlineData("exit 3", "exited with code 3")]
    [InlineData("kill -9 $$", "was killed by signal 9 (SIGKILL)")]
    [InlineData("kill -15 $$", "was killed by signal 15")]
    public async Task How_a_child_ended_is_told_in_words(string script, string told)
    {
        // Arrange
        using var child = ChildProcess.Start(Shell(script, new ConcurrentQueue<string>()));

        // Act
        await child.WaitForExitAsync().WaitAsync(Patience);

        // Assert
        Assert.Equal(told, child.Exit.ToString());
    }

    [Fact]
    public async Task A_held_input_is_read_to_its_end_once_closed()
    {
        // Arrange
        using var child = ChildProcess.Start(new ChildProcessStart("/bin/sh", ["-c", "cat"]) { HoldInput = true });

        // Act
        await child.CloseInputAsync("fed through stdin");
        await child.WaitForExitAsync().WaitAsync(Patience);

        // Assert
        Assert.Equal(("fed through stdin", ""), await child.ReadOutputAsync());
        Assert.Equal(new ProcessExit(0), child.Exit);
    }

    private static ChildProcessStart Shell(string script, ConcurrentQueue<string> lines) =>
        new("/bin/sh", ["-c", script]) { OnLine = lines.Enqueue };

    /// <summary>Alive, not merely a zombie its new parent has yet to reap.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
