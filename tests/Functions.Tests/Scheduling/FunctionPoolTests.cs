using System.Text;
using Functions.Tests.Instances;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;

namespace Functions.Tests.Scheduling;

/// <summary>The instance pool's life cycle with the dummy function as real processes: idle retirement and replacement.</summary>
public sealed class FunctionPoolTests : IAsyncLifetime
{
    private static readonly byte[] Echo = Encoding.UTF8.GetBytes("""{"action":"echo"}""");

    private RuntimeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await RuntimeApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_instance_idle_past_the_idle_timeout_is_retired_and_the_next_invocation_is_cold()
    {
        await using var pool = new FunctionPool(Spec(), _server, new PoolSettings(2, TimeSpan.FromMilliseconds(400)), _ => { });
        var first = await pool.InvokeAsync(Echo, CancellationToken.None);
        var pid = pool.ProcessIds.Single();

        var retired = await WaitUntilAsync(() => pool.InstanceCount == 0, TimeSpan.FromSeconds(10));
        var gone = await WaitUntilAsync(() => !Cli.FnProcess.IsAlive(pid), TimeSpan.FromSeconds(10));
        var second = await pool.InvokeAsync(Echo, CancellationToken.None);

        Assert.True(retired);
        Assert.True(gone);
        Assert.NotNull(first.InitDurationMs);
        Assert.NotNull(second.InitDurationMs);
    }

    [Fact]
    public async Task After_a_replace_the_next_invocation_runs_on_a_new_instance()
    {
        await using var pool = new FunctionPool(Spec(), _server, new PoolSettings(2, TimeSpan.FromMinutes(1)), _ => { });
        await pool.InvokeAsync(Echo, CancellationToken.None);
        var old = pool.ProcessIds.Single();

        pool.Replace(Spec() with { MemoryMb = 512 });
        var report = await pool.InvokeAsync(Echo, CancellationToken.None);

        Assert.NotNull(report.InitDurationMs);
        Assert.Equal(512, report.MemorySizeMb);
        Assert.DoesNotContain(old, pool.ProcessIds);
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_queued_gets_a_cancellation_and_the_pool_goes_on()
    {
        await using var pool = new FunctionPool(Spec(), _server, new PoolSettings(1, TimeSpan.FromMinutes(1)), _ => { });
        var busy = pool.InvokeAsync(Encoding.UTF8.GetBytes("""{"action":"sleep","ms":1500}"""), CancellationToken.None);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.InvokeAsync(Echo, giveUp.Token));
        var slept = await busy;
        var after = await pool.InvokeAsync(Echo, CancellationToken.None);

        Assert.True(slept.Outcome.IsSuccess);
        Assert.True(after.Outcome.IsSuccess);
        Assert.Null(after.InitDurationMs);
    }

    [Fact]
    public async Task Each_instance_is_seen_starting_then_busy_then_idle_with_what_it_has_done()
    {
        var spec = DummyFunctionHost.SpecFor("watched", TimeSpan.FromSeconds(10), new Dictionary<string, string> { ["DUMMY_INIT_SLEEP_MS"] = "800" });
        await using var pool = new FunctionPool(spec, _server, new PoolSettings(2, TimeSpan.FromMinutes(1)), _ => { });

        var running = pool.InvokeAsync(Encoding.UTF8.GetBytes("""{"action":"sleep","ms":800}"""), CancellationToken.None);
        var starting = await WaitUntilAsync(() => pool.Activity is { Starting: 1, Each: [{ ProcessId: not null }] }, TimeSpan.FromSeconds(5));
        var busy = await WaitUntilAsync(() => pool.Activity.Busy == 1, TimeSpan.FromSeconds(5));
        var busyInstance = pool.Activity.Each.Single();
        await running;
        var idle = pool.Activity;

        Assert.True(starting);
        Assert.True(busy);
        Assert.Null(busyInstance.IdleSince);
        Assert.Equal(0, busyInstance.Invocations);
        Assert.True(busyInstance.InitMs >= 800, $"init {busyInstance.InitMs} ms");
        var instance = Assert.Single(idle.Each);
        Assert.Equal(InstanceState.Idle, instance.State);
        Assert.Equal(pool.ProcessIds.Single(), instance.ProcessId);
        Assert.NotNull(instance.IdleSince);
        Assert.Equal(1, instance.Invocations);
        Assert.Equal((1, 1, 1), (idle.Instances, idle.Invocations, idle.ColdStarts));
    }

    private static FunctionSpec Spec() => DummyFunctionHost.SpecFor("pooled", TimeSpan.FromSeconds(10));

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
        return condition();
    }
}
