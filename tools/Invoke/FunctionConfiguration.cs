using System.Globalization;
using System.Text.Json;
using Functions.Runtime;
using Functions.Tools.Instances;
using Functions.Tools.Scheduling;

namespace Functions.Tools.Invoke;

/// <summary>
/// Lambda's GetFunctionConfiguration and UpdateFunctionConfiguration on serve's functions: MemorySize, Timeout and
/// Environment as Lambda validates them. An update is a new spec for the pool, so every later invocation meets a new
/// instance started with it (its cgroup, its AWS_LAMBDA_FUNCTION_MEMORY_SIZE), while invocations in flight end on theirs.
/// It lasts while serve runs: a restart, or a rebuild or template change under --watch, puts the template's back.
/// </summary>
internal static class FunctionConfiguration
{
    public const string PathEnd = "/configuration";

    /// <summary>The fields serve changes; any other field of Lambda's request is refused by name, never ignored.</summary>
    private static readonly string[] Updatable = ["MemorySize", "Timeout", "Environment", "RevisionId"];

    /// <summary>Lambda's bound on all variables together: keys and values, as UTF-8 bytes.</summary>
    private const int MaxEnvironmentBytes = 4096;

    /// <summary>Variables Lambda sets itself and refuses to take from a configuration.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    };

    /// <summary>serve's own plumbing (where the local DynamoDB listens): not the user's configuration, kept across updates.</summary>
    private static readonly string[] Plumbing = [LambdaEnvironment.DynamoDbEndpoint];

    public static byte[] Describe(FunctionPool pool, string architecture)
    {
        var spec = pool.Spec;
        using var buffer = new MemoryStream();
        // Relaxed escaping: "+0000" and the variables read as Lambda writes them; the body is JSON, never HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("FunctionName", spec.Name);
            json.WriteString("FunctionArn", spec.FunctionArn);
            json.WriteString("Runtime", "provided.al2023");
            json.WriteString("Role", "arn:aws:iam::123456789012:role/fn-serve-local");
            json.WriteString("Handler", "bootstrap");
            json.WriteNumber("CodeSize", File.Exists(spec.Bootstrap) ? new FileInfo(spec.Bootstrap).Length : 0);
            json.WriteString("Description", "");
            json.WriteNumber("Timeout", (int)spec.Timeout.TotalSeconds);
            json.WriteNumber("MemorySize", spec.MemoryMb);
            json.WriteString("LastModified", pool.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture));
            json.WriteString("Version", "$LATEST");
            json.WriteStartObject("Environment");
            json.WriteStartObject("Variables");
            foreach (var (key, value) in spec.Environment.Where(v => !Plumbing.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("State", "Active");
            json.WriteString("LastUpdateStatus", "Successful");
            json.WriteString("RevisionId", pool.RevisionId);
            json.WriteString("PackageType", "Zip");
            json.WriteStartArray("Architectures");
            json.WriteStringValue(architecture);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Applies the request's changes to the pool, or refuses the whole request as Lambda would.</summary>
    public static void Update(FunctionPool pool, ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var unsupported = root.EnumerateObject().Select(p => p.Name).Where(n => !Updatable.Contains(n, StringComparer.Ordinal)).ToList();
        if (unsupported.Count > 0)
        {
            throw new InvokeError(400, "InvalidParameterValueException",
                $"serve does not emulate {InvokeError.Shown(string.Join(", ", unsupported))}: it changes MemorySize, Timeout and Environment (with RevisionId).");
        }
        int? memory = Integer(root, "MemorySize", "memorySize", 128, 10240);
        int? timeout = Integer(root, "Timeout", "timeout", 1, 900);
        var variables = Variables(root);
        var revision = root.TryGetProperty("RevisionId", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString() : null;
        var changed = pool.TryChange(spec =>
        {
            var updated = spec with
            {
                MemoryMb = memory ?? spec.MemoryMb,
                Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : spec.Timeout,
            };
            if (variables is null)
            {
                return updated;
            }
            var environment = new Dictionary<string, string>(variables, StringComparer.Ordinal);
            foreach (var key in Plumbing.Where(spec.Environment.ContainsKey))
            {
                environment[key] = spec.Environment[key];
            }
            return updated with { Environment = environment };
        }, revision);
        if (changed is null)
        {
            throw new InvokeError(412, "PreconditionFailedException",
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        throw InvokeError.InvalidContent("The request body is not a JSON object of UpdateFunctionConfiguration's fields.");
    }

    private static int? Integer(JsonElement root, string name, string parameter, int least, int most)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (!value.TryGetInt32(out var number))
        {
            throw InvokeError.Validation(value.GetRawText(), parameter, "Member must be a whole number");
        }
        return number < least ? throw InvokeError.Validation(number.ToString(CultureInfo.InvariantCulture), parameter, $"Member must have value greater than or equal to {least}")
            : number > most ? throw InvokeError.Validation(number.ToString(CultureInfo.InvariantCulture), parameter, $"Member must have value less than or equal to {most}")
            : number;
    }

    /// <summary>Environment.Variables: the function's whole environment from now on (Lambda replaces it, never merges).</summary>
    private static Dictionary<string, string>? Variables(JsonElement root)
    {
        if (!root.TryGetProperty("Environment", out var environment) || environment.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (environment.ValueKind != JsonValueKind.Object)
        {
            throw InvokeError.InvalidContent("Environment must be an object with Variables.");
        }
        if (environment.TryGetProperty("Variables", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Object)
            {
                throw InvokeError.InvalidContent("Environment.Variables must be an object of names to string values.");
            }
            foreach (var variable in given.EnumerateObject())
            {
                if (!IsKey(variable.Name))
                {
                    throw InvokeError.Validation(variable.Name, "environment.variables", "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+");
                }
                if (variable.Value.ValueKind != JsonValueKind.String)
                {
                    throw InvokeError.InvalidContent($"Environment.Variables.{InvokeError.Shown(variable.Name)} must be a string.");
                }
                variables[variable.Name] = variable.Value.GetString()!;
            }
        }
        var reserved = variables.Keys.Where(Reserved.Contains).ToList();
        if (reserved.Count > 0)
        {
            throw new InvokeError(400, "InvalidParameterValueException",
                $"Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: {string.Join(", ", reserved)}");
        }
        var bytes = variables.Sum(v => System.Text.Encoding.UTF8.GetByteCount(v.Key) + System.Text.Encoding.UTF8.GetByteCount(v.Value));
        if (bytes > MaxEnvironmentBytes)
        {
            throw new InvokeError(400, "InvalidParameterValueException",
                $"Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {bytes.ToString(CultureInfo.InvariantCulture)} bytes");
        }
        return variables;
    }

    private static bool IsKey(string name) =>
        name.Length >= 2 && char.IsAsciiLetter(name[0]) && name.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
