using System.Text;
using System.Text.Json;
using Functions.Runtime;

namespace DummyFunction;

/// <summary>Does what the event's "action" asks, so one executable plays every function the emulator tests need.</summary>
internal sealed class DummyHandler : IInvocationHandler
{
    /// <summary>Set to 1 to make initialization throw: the runtime reports /runtime/init/error and exits non-zero.</summary>
    public const string FailInitVariable = "DUMMY_FAIL_INIT";

    /// <summary>Milliseconds the initialization takes: a slow init, to watch an instance while it starts.</summary>
    public const string InitSleepVariable = "DUMMY_INIT_SLEEP_MS";

    private readonly LambdaEnvironment _environment;

    private DummyHandler(LambdaEnvironment environment) => _environment = environment;

    public static IInvocationHandler Initialize(FunctionStartup startup)
    {
        if (startup.Environment.Get(FailInitVariable) == "1")
        {
            throw new InitializationException($"{FailInitVariable}=1: the dummy function fails its initialization on purpose.");
        }
        if (int.TryParse(startup.Environment.Get(InitSleepVariable), out var ms))
        {
            Thread.Sleep(ms);
        }
        return new DummyHandler(startup.Environment);
    }

    public async Task<byte[]> HandleAsync(byte[] payload, InvocationContext context)
    {
        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        // Behind ./fn serve the event is an API Gateway payload 2.0 event: the action then travels in its body,
        // and "echo" answers with the whole event, which shows the test exactly what the gateway built.
        using var fromBody = root.TryGetProperty("routeKey", out _) ? JsonDocument.Parse(ActionOf(root)) : null;
        if (fromBody is not null)
        {
            root = fromBody.RootElement;
        }
        switch (root.GetProperty("action").GetString())
        {
            case "echo":
                return payload;
            case "sleep":
                // Deliberately deaf to context.CancellationToken: this plays a function that overruns its timeout.
                var ms = root.GetProperty("ms").GetInt32();
                await Task.Delay(ms).ConfigureAwait(false);
                return Encoding.UTF8.GetBytes($$"""{"slept":{{ms}}}""");
            case "throw":
                throw new InvalidOperationException("The dummy function throws on purpose.");
            case "exit":
                Environment.Exit(root.GetProperty("code").GetInt32());
                return [];
            case "big":
                return QuotedString(root.GetProperty("bytes").GetInt32());
            case "stream":
                // A streamed answer: one line a write, a pause between them, and an error after the last one when asked.
                // With "http": an HTTP response for a function URL, its prelude first (status 201, a header, a cookie).
                var stream = root.TryGetProperty("http", out var http) && http.GetBoolean()
                    ? Functions.Http.HttpResponseStreaming.Open(context, 201, new() { ["content-type"] = "application/x-ndjson", ["x-export"] = "lines" }, ["export=1; Secure"])
                    : context.OpenResponseStream("application/x-ndjson");
                // With "lineBytes": each line padded with spaces to that many bytes, for streams of many megabytes.
                var lines = root.GetProperty("lines").GetInt32();
                var lineBytes = root.TryGetProperty("lineBytes", out var size) ? size.GetInt32() : 0;
                for (var line = 1; line <= lines; line++)
                {
                    var text = $$"""{"line":{{line}}}""";
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(text.PadRight(Math.Max(lineBytes - 1, 0)) + "\n"), context.CancellationToken).ConfigureAwait(false);
                    if (line < lines)
                    {
                        await Task.Delay(root.TryGetProperty("pauseMs", out var pause) ? pause.GetInt32() : 0).ConfigureAwait(false);
                    }
                }
                if (root.TryGetProperty("thenThrow", out var thenThrow) && thenThrow.GetBoolean())
                {
                    throw new InvalidOperationException("The dummy function fails mid-stream on purpose.");
                }
                return [];
            case "respond":
                // Whatever result the test wants the gateway to map, valid or not.
                return Encoding.UTF8.GetBytes(root.GetProperty("response").GetRawText());
            case "env":
                return EnvironmentReport.Write(context, _environment);
            case "log-client-context":
                // What the function was given of the caller's client context, where a test reading the log finds it.
                Console.WriteLine($"client context: {context.ClientContext ?? "(none)"}");
                return payload;
            case "log":
                // One line of the function's own, which Lambda's START must precede and END follow.
                Console.WriteLine(root.GetProperty("line").GetString());
                return payload;
            case "spin":
                // Plays a CPU-bound function: burns this many milliseconds of the process's CPU time, however long
                // that takes on the wall clock (under a quota, much longer).
                var cpuMs = root.GetProperty("ms").GetInt32();
                var started = Environment.CpuUsage.TotalTime;
                var wall = System.Diagnostics.Stopwatch.StartNew();
                var spins = 0L;
                while ((Environment.CpuUsage.TotalTime - started).TotalMilliseconds < cpuMs)
                {
                    for (var i = 0; i < 10_000; i++)
                    {
                        spins++;
                    }
                }
                return Encoding.UTF8.GetBytes($$"""{"cpuMs":{{cpuMs}},"wallMs":{{wall.ElapsedMilliseconds}},"spins":{{spins}}}""");
            case "allocate":
                // Plays a function that outgrows its memory size: every page touched, so it is resident.
                var chunks = new List<byte[]>();
                for (var i = 0; i < root.GetProperty("mb").GetInt32(); i++)
                {
                    var chunk = new byte[1024 * 1024];
                    for (var page = 0; page < chunk.Length; page += 4096)
                    {
                        chunk[page] = 1;
                    }
                    chunks.Add(chunk);
                }
                await Task.Delay(root.TryGetProperty("holdMs", out var hold) ? hold.GetInt32() : 0).ConfigureAwait(false);
                return Encoding.UTF8.GetBytes($$"""{"allocated":{{chunks.Count}}}""");
            case var other:
                throw new ArgumentException($"Unknown action '{other}'.", nameof(payload));
        }
    }

    private static string ActionOf(JsonElement gatewayEvent) =>
        gatewayEvent.TryGetProperty("body", out var body) && body.GetString() is { Length: > 0 } text ? text : "{\"action\":\"echo\"}";

    /// <summary>A JSON string of exactly <paramref name="bytes"/> bytes, quotes included.</summary>
    private static byte[] QuotedString(int bytes)
    {
        var body = new byte[bytes];
        body.AsSpan().Fill((byte)'x');
        body[0] = (byte)'"';
        body[^1] = (byte)'"';
        return body;
    }
}
