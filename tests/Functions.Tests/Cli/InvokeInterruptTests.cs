using System.Net;
using System.Net.Sockets;
using Functions.Tests.Functions;

namespace Functions.Tests.Cli;

/// <summary>Ctrl-C during ./fn invoke: the function is mid-invocation, and nothing the command started outlives it.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class InvokeInterruptTests
{
    [Fact]
    public async Task Ctrl_C_during_an_invocation_stops_the_function_and_dynalite_with_exit_code_130()
    {
        // A DynamoDB endpoint that accepts connections and never answers: Items.Get stays inside its invocation.
        // The tables still go to the embedded dynalite; only the function is pointed at the silent one.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new System.Collections.Concurrent.ConcurrentBag<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var getEvent = Path.Combine(Events.SampleEvents.Folder, "items-get.json");
        await using var invoke = FnProcess.Run("invoke", "Items.Get", "--event", getEvent, "--in-memory", "--env", $"AWS_ENDPOINT_URL_DYNAMODB={endpoint}", "--timeout", "120");
        Assert.True(await invoke.WaitForDescendantAsync("bootstrap", TimeSpan.FromMinutes(3)), invoke.Output);
        await Task.Delay(500); // Past init: the function is waiting on the silent endpoint.
        var children = invoke.Descendants();

        var exitCode = await invoke.InterruptAsync();

        Assert.Equal(130, exitCode);
        Assert.NotEmpty(children);
        Assert.DoesNotContain(children, FnProcess.IsAlive);
        silent.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
        _ = accepting.Exception;
    }
}
