using Functions.Tools.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Functions.Tools;
using Functions.Tools.DynamoDb;

namespace Functions.Tests.DynamoDb;

/// <summary>
/// dynalite as serve supervises it: a data dir another process holds is refused at once and the holder
/// named, a lock left by a killed process is no obstacle, and a dynalite killed with -9 is started again on the same
/// port and data without losing a write it acknowledged. Real node processes, real signals, the real SDK client.
/// </summary>
public sealed class DynaliteSupervisionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly TableKey Id = new("id", ScalarAttributeType.S);

    [Fact]
    public async Task A_data_dir_held_by_another_dynalite_is_refused_at_once_naming_its_process()
    {
        // Arrange: a dynalite started by hand on the folder, as a user might have left one running.
        using var data = new ScratchFolder();
        using var foreign = await ForeignDynalite.StartAsync(data.Path);

        // Act
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DynaliteStartException>(() => Dynalite.StartAsync(data.Path).WaitAsync(Timeout));
        clock.Stop();

        // Assert
        Assert.Contains($"is in use by dynalite (pid {foreign.Id}", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data-dir", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Refusing took {clock.Elapsed}: it must not wait for requests to fail.");
    }

    [Fact]
    public async Task A_second_supervised_dynalite_on_the_same_data_dir_is_refused()
    {
        // Arrange
        using var data = new ScratchFolder();
        await using var first = await Dynalite.StartAsync(data.Path).WaitAsync(Timeout);

        // Act
        var error = await Assert.ThrowsAsync<DynaliteStartException>(() => Dynalite.StartAsync(data.Path).WaitAsync(Timeout));

        // Assert
        Assert.Contains($"is in use by dynalite (pid {first.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lock_of_a_killed_dynalite_is_no_obstacle_and_its_tables_are_kept()
    {
        // Arrange: a dynalite with a table, killed with -9 so LevelDB never closed; its LOCK file stays behind.
        using var data = new ScratchFolder();
        using (var foreign = await ForeignDynalite.StartAsync(data.Path))
        {
            using var provisioner = new TableProvisioner(foreign.Endpoint);
            await provisioner.EnsureTableAsync("items", Id).WaitAsync(Timeout);
        }
        Assert.True(File.Exists(Path.Combine(data.Path, DataDirectoryHolder.LockFileName)));

        // Act
        await using var dynalite = await Dynalite.StartAsync(data.Path).WaitAsync(Timeout);
        using var again = new TableProvisioner(dynalite.Endpoint);

        // Assert
        Assert.False(await again.EnsureTableAsync("items", Id).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_killed_dynalite_is_started_again_on_its_port_and_no_acknowledged_write_is_lost()
    {
        // Arrange
        using var data = new ScratchFolder();
        var notices = new ConcurrentQueue<string>();
        await using var dynalite = await Dynalite.StartAsync(data.Path, notice: notices.Enqueue).WaitAsync(Timeout);
        using (var provisioner = new TableProvisioner(dynalite.Endpoint))
        {
            await provisioner.EnsureTableAsync("items", Id).WaitAsync(Timeout);
        }
        using var client = TableProvisioner.CreateClient(dynalite.Endpoint);
        var acknowledged = new List<string>();
        var firstProcess = dynalite.ProcessId;

        // Act: writes before, during and after a kill -9; only the ones that returned success count.
        var sawUnavailable = false;
        for (var i = 0; i < 300; i++)
        {
            if (i == 100)
            {
                Process.GetProcessById(firstProcess).Kill();
            }
            sawUnavailable |= dynalite.Unavailable is not null;
            var id = $"item-{i}";
            try
            {
                await client.PutItemAsync(new PutItemRequest("items", new() { ["id"] = new AttributeValue(id) }));
                acknowledged.Add(id);
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
            {
                await Task.Delay(20); // Refused while it was down: never acknowledged, so nothing to keep.
            }
        }
        await Eventually.WaitUntilAsync(() => dynalite.Unavailable is null && dynalite.Restarts == 1, Timeout);
        var missing = new List<string>();
        foreach (var id in acknowledged)
        {
            var got = await client.GetItemAsync(new GetItemRequest("items", new() { ["id"] = new AttributeValue(id) }, consistentRead: true));
            if (!got.IsItemSet)
            {
                missing.Add(id);
            }
        }

        // Assert
        Assert.True(sawUnavailable, "Between the kill and the restart it must say it is unavailable.");
        Assert.NotEqual(firstProcess, dynalite.ProcessId);
        Assert.True(acknowledged.Count >= 200, $"Only {acknowledged.Count} writes were acknowledged.");
        Assert.Empty(missing);
        Assert.Contains(notices, n => n.Contains($"pid {firstProcess}) was killed by signal 9", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.StartsWith("DynamoDB is back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dynalite_interrupted_alone_is_started_again()
    {
        var notices = new ConcurrentQueue<string>();
        await using var dynalite = await Dynalite.StartAsync(notice: notices.Enqueue).WaitAsync(Timeout);
        var firstProcess = dynalite.ProcessId;

        await SignalAsync("-INT", firstProcess);
        await Eventually.WaitUntilAsync(() => dynalite.Restarts == 1 && dynalite.Unavailable is null, Timeout);

        Assert.NotEqual(firstProcess, dynalite.ProcessId);
        Assert.Contains(notices, n => n.Contains($"pid {firstProcess}) was killed by signal 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dynalite_interrupted_by_the_same_signal_that_stops_the_tool_is_not_started_again()
    {
        // Ctrl-C reaches dynalite and the tool together; the tool's handler may run just after dynalite is gone.
        using var stopping = new CancellationTokenSource();
        var notices = new ConcurrentQueue<string>();
        await using var dynalite = await Dynalite.StartAsync(notice: notices.Enqueue, cancellationToken: stopping.Token).WaitAsync(Timeout);
        var firstProcess = dynalite.ProcessId;

        await SignalAsync("-INT", firstProcess);
        await Eventually.WaitUntilAsync(() => !Directory.Exists($"/proc/{firstProcess}"), Timeout);
        await stopping.CancelAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // Longer than a restart takes.

        Assert.Equal(0, dynalite.Restarts);
        Assert.Empty(notices);
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>dynalite through its own bin entry, not supervised by us, holding a folder; killed (-9) when disposed.</summary>
    private sealed class ForeignDynalite(Process process, string endpoint) : IDisposable
    {
        public int Id => process.Id;
        public string Endpoint => endpoint;

        public static async Task<ForeignDynalite> StartAsync(string folder)
        {
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo(Path.Combine(Repository.Locate().NodeModules, ".bin", "dynalite"))
            {
                ArgumentList = { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--path", folder },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var foreign = new ForeignDynalite(Process.Start(start)!, $"http://127.0.0.1:{port}");
            await Eventually.WaitUntilAsync(() => DataDirectoryHolder.IsHeldBy(folder, foreign.Id), Timeout);
            return foreign;
        }

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
