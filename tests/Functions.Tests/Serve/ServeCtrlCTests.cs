using Functions.Tests.Cli;
using Functions.Tests.Functions;

namespace Functions.Tests.Serve;

/// <summary>
/// Ctrl-C in a terminal signals serve's whole process group: dynalite and the function instances get the SIGINT too.
/// That is a stop, not a crash: nothing is started again, nothing is reported as an error, nothing is left running.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ServeCtrlCTests
{
    [Fact]
    public async Task Ctrl_C_to_the_whole_process_group_stops_serve_without_restarting_or_reporting_anything()
    {
        await using var serve = await FnProcess.StartAsGroupLeaderAsync("--in-memory");
        using (var hello = await serve.Client.GetAsync("/hello"))
        {
            hello.EnsureSuccessStatusCode(); // A function instance runs below serve, beside dynalite.
        }
        var children = serve.Descendants();

        var exitCode = await serve.InterruptGroupAsync();

        var output = serve.Output;
        Assert.Equal(0, exitCode);
        Assert.True(children.Count >= 2, $"Expected dynalite and a function instance below serve, saw {children.Count}.");
        Assert.DoesNotContain("starting it again", output, StringComparison.Ordinal);
        Assert.DoesNotContain("is back", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(children, FnProcess.IsAlive);
        Assert.DoesNotContain(FnProcess.ProcessesInGroup(serve.ProcessId), FnProcess.IsAlive); // A dynalite started again would be here.
    }
}
