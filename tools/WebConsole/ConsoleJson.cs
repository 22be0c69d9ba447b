using System.Text.Json;
using Functions.Tools.Instances;
using Functions.Tools.Scheduling;

namespace Functions.Tools.WebConsole;

/// <summary>What the console's API answers, written field by field (the page reads these names).</summary>
internal static class ConsoleJson
{
    public static void WriteFunction(Utf8JsonWriter json, ConsoleFunction function)
    {
        json.WriteStartObject();
        json.WriteString("name", function.Name);
        json.WriteStartArray("routes");
        foreach (var (routeKey, access) in function.Routes)
        {
            json.WriteStartObject();
            json.WriteString("key", routeKey);
            json.WriteString("access", access);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("url", function.Url);
        json.WriteNumber("memoryMb", function.MemoryMb);
        json.WriteNumber("timeoutSeconds", function.TimeoutSeconds);
        json.WriteStartArray("tables");
        foreach (var table in function.Tables)
        {
            json.WriteStringValue(table);
        }
        json.WriteEndArray();
        if (function.Activity is { } activity)
        {
            json.WriteStartObject("instances");
            json.WriteNumber("live", activity.Instances);
            json.WriteNumber("starting", activity.Starting);
            json.WriteNumber("busy", activity.Busy);
            json.WriteNumber("idle", activity.Idle);
            json.WriteNumber("invocations", activity.Invocations);
            json.WriteNumber("coldStarts", activity.ColdStarts);
            json.WriteNumber("peakMemoryMb", activity.PeakMemoryMb);
            json.WriteStartArray("each");
            foreach (var instance in activity.Each)
            {
                WriteInstance(json, instance);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("instances");
        }
        json.WriteEndObject();
    }

    private static void WriteInstance(Utf8JsonWriter json, InstanceActivity instance)
    {
        json.WriteStartObject();
        WriteNumberOrNull(json, "pid", instance.ProcessId);
        json.WriteString("state", instance.State switch
        {
            InstanceState.Starting => "starting",
            InstanceState.Busy => "busy",
            _ => "idle",
        });
        // Seconds the console can show without trusting the page's clock.
        WriteNumberOrNull(json, "idleSeconds", instance.IdleSince is { } since ? Math.Round((DateTimeOffset.UtcNow - since).TotalSeconds, 0) : null);
        json.WriteNumber("invocations", instance.Invocations);
        WriteNumberOrNull(json, "initMs", instance.InitMs is { } ms ? Math.Round(ms, 1) : null);
        WriteNumberOrNull(json, "peakMemoryMb", instance.PeakMemoryMb);
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <param name="payload">The answer as `fn invoke` prints it (a streamed HTTP answer as its payload 2.0 response).</param>
    public static void WriteInvocation(Utf8JsonWriter json, InvocationReport report, string payload, string log)
    {
        json.WriteStartObject();
        json.WriteString("requestId", report.RequestId);
        json.WriteBoolean("succeeded", report.Outcome.IsSuccess);
        json.WriteString("errorType", report.Outcome.ErrorType);
        json.WriteBoolean("cold", report.Cold);
        json.WriteString("payload", payload);
        json.WriteString("log", log);
        json.WriteString("report", report.ReportLine);
        json.WriteEndObject();
    }

    public static void WriteTraffic(Utf8JsonWriter json, TrafficEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("at", entry.At);
        json.WriteString("method", entry.Method);
        json.WriteString("path", entry.Path);
        json.WriteNumber("status", entry.Status);
        json.WriteNumber("ms", Math.Round(entry.Milliseconds, 1));
        json.WriteString("temperature", entry.Temperature);
        json.WriteString("requestId", entry.RequestId);
        json.WriteString("function", entry.Function);
        json.WriteEndObject();
    }

    public static void WriteRequest(Utf8JsonWriter json, RequestDetail detail)
    {
        json.WriteStartObject();
        json.WriteString("requestId", detail.RequestId);
        json.WriteString("function", detail.Function);
        json.WriteString("event", detail.Event);
        json.WriteNumber("status", detail.Status);
        json.WriteStartArray("headers");
        foreach (var (name, value) in detail.Headers)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteString("body", detail.Body);
        json.WriteString("log", detail.Log);
        json.WriteEndObject();
    }
}
