using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Functions.Tools.Remote;

/// <summary>Where the Lambda API is and as whom: null fields are left to the SDK's own resolution (AWS_REGION, profiles).</summary>
public sealed record RemoteOptions(string? Region, string? Profile, string? EndpointUrl);

/// <summary>A deployed function's configuration, the part a sweep changes and puts back.</summary>
public sealed record RemoteConfiguration(
    string FunctionName,
    string FunctionArn,
    int MemorySize,
    int Timeout,
    IReadOnlyDictionary<string, string> Variables,
    string Architecture,
    string? RevisionId)
{
    /// <summary>The region in the ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME).</summary>
    public string Region => FunctionArn.Split(':') is { Length: > 3 } parts ? parts[3] : "unknown region";
}

/// <summary>One invocation's answer: the function's error type if it failed, its payload, and the log tail Lambda returned.</summary>
public sealed record RemoteInvocation(int Status, string? FunctionError, string Payload, string Log);

/// <summary>A Lambda API call that failed, with the SDK's error name ("ResourceNotFoundException") and message.</summary>
public sealed class RemoteLambdaException(string name, string message, int? status) : Exception(message)
{
    public string ErrorName { get; } = name;

    public int? Status { get; } = status;
}

/// <summary>
/// The Lambda API through AWS's SDK for JavaScript (the NuGet feed has no AWSSDK.Lambda; npm has the SDK and its
/// credential chain): our lambda-bridge.mjs as a child process, one JSON request per line, answered by id.
/// </summary>
public sealed class RemoteLambda : IAsyncDisposable
{
    private const string Script = "lambda-bridge.mjs";

    private readonly ChildProcess _bridge;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _otherLines = new();
    private long _nextId;

    private RemoteLambda(Func<Action<string>, ChildProcess> start)
    {
        _bridge = start(OnLine);
        _ = FailPendingWhenGoneAsync();
    }

    /// <param name="environment">The bridge's whole environment instead of this process's (PATH is kept): what the SDK finds credentials and a region in.</param>
    public static RemoteLambda Start(Repository repository, RemoteOptions options, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        if (!NodeScript.Installed(repository, "@aws-sdk/client-lambda"))
        {
            throw new UserError($"AWS's SDK for JavaScript is not installed ({Path.Combine(repository.NodeModules, "@aws-sdk", "client-lambda")} is missing): run {repository.NodeSetup}.");
        }
        var script = NodeScript.Write(repository, Script);
        var settings = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["region"] = options.Region,
            ["profile"] = options.Profile,
            ["endpoint"] = options.EndpointUrl,
        }, RemoteJson.Default.DictionaryStringString);
        try
        {
            return new RemoteLambda(onLine => ChildProcess.Start(new ChildProcessStart("node", [script, settings])
            {
                OnLine = onLine,
                HoldInput = true,
                InheritEnvironment = environment is null,
                Environment = environment is null ? null
                    : new Dictionary<string, string>(environment, StringComparer.Ordinal) { ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" },
            }));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserError($"Cannot start node for the Lambda API: {e.Message}. {Repository.NodeInstallHere}.", inner: e);
        }
    }

    /// <summary>The node process: what a test kills to play the bridge's death.</summary>
    internal int BridgeProcessId => _bridge.Id;

    public async Task<RemoteConfiguration> GetConfigurationAsync(string function, CancellationToken cancellationToken) =>
        Configuration(await CallAsync("get", function, _ => { }, cancellationToken).ConfigureAwait(false));

    /// <summary>Sets the memory size and/or the whole environment, and returns once Lambda says the update is done.</summary>
    public async Task<RemoteConfiguration> UpdateConfigurationAsync(string function, int? memorySize, IReadOnlyDictionary<string, string>? variables, CancellationToken cancellationToken) =>
        Configuration(await CallAsync("update", function, json =>
        {
            if (memorySize is { } size)
            {
                json.WriteNumber("memorySize", size);
            }
            if (variables is not null)
            {
                json.WriteStartObject("variables");
                foreach (var (key, value) in variables)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
        }, cancellationToken).ConfigureAwait(false));

    /// <summary>A RequestResponse invocation with LogType Tail: the REPORT line is at the end of its log.</summary>
    public async Task<RemoteInvocation> InvokeAsync(string function, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await CallAsync("invoke", function, json => json.WriteString("payload", Encoding.UTF8.GetString(payload)), cancellationToken).ConfigureAwait(false);
        return new RemoteInvocation(
            result.GetProperty("status").GetInt32(),
            result.GetProperty("functionError").GetString(),
            result.GetProperty("payload").GetString() ?? "",
            result.GetProperty("log").GetString() ?? "");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_bridge.HasExited)
        {
            await _bridge.CloseInputAsync().ConfigureAwait(false);
            if (!await _bridge.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
            {
                _bridge.Kill();
            }
        }
        _bridge.Dispose();
    }

    private async Task<JsonElement> CallAsync(string operation, string function, Action<Utf8JsonWriter> arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (_bridge.HasExited)
            {
                throw Gone();
            }
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("op", operation);
                json.WriteString("name", function);
                arguments(json);
                json.WriteEndObject();
            }
            await _bridge.WriteInputLineAsync(Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
            var result = await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (result.TryGetProperty("error", out var error))
            {
                throw new RemoteLambdaException(
                    error.GetProperty("name").GetString() ?? "Error",
                    error.GetProperty("message").GetString() ?? "",
                    error.GetProperty("status").ValueKind == JsonValueKind.Number ? error.GetProperty("status").GetInt32() : null);
            }
            return result.GetProperty("result");
        }
        catch (IOException)
        {
            throw Gone();
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private void OnLine(string line)
    {
        if (line.StartsWith("{\"answer\":", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(line);
            if (_pending.TryGetValue(document.RootElement.GetProperty("answer").GetInt64(), out var waiting))
            {
                waiting.TrySetResult(document.RootElement.Clone());
            }
            return;
        }
        // Node's and the SDK's own words (a warning, a crash): kept to say why the bridge went away.
        _otherLines.Enqueue(line);
        while (_otherLines.Count > 20 && _otherLines.TryDequeue(out _))
        {
        }
    }

    private async Task FailPendingWhenGoneAsync()
    {
        await _bridge.Exited.ConfigureAwait(false);
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(Gone());
        }
    }

    private RemoteLambdaException Gone() =>
        new("BridgeExited", $"node (AWS's SDK for JavaScript) ended while the Lambda API was being called{(_otherLines.IsEmpty ? "" : ": " + string.Join(" ", _otherLines.TakeLast(3)))}", null);

    private static RemoteConfiguration Configuration(JsonElement c) => new(
        c.GetProperty("FunctionName").GetString()!,
        c.GetProperty("FunctionArn").GetString()!,
        c.GetProperty("MemorySize").GetInt32(),
        c.GetProperty("Timeout").GetInt32(),
        c.GetProperty("Variables").EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString() ?? "", StringComparer.Ordinal),
        c.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()).FirstOrDefault() ?? "x86_64",
        c.GetProperty("RevisionId").GetString());
}
