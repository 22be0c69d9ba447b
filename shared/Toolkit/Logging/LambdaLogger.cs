using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Functions.Runtime;

namespace Functions.Logging;

/// <summary>
/// Log lines Lambda understands: tab-separated text by default, one JSON object per line when
/// AWS_LAMBDA_LOG_FORMAT=JSON (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html).
/// </summary>
public sealed class LambdaLogger
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();

    public LambdaLogger(TextWriter writer, bool json, LogLevel minimum)
    {
        _writer = writer;
        Json = json;
        Minimum = minimum;
    }

    public bool Json { get; }

    public LogLevel Minimum { get; }

    public static LambdaLogger FromEnvironment(LambdaEnvironment environment, TextWriter? writer = null) => new(
        writer ?? Console.Out,
        string.Equals(environment.Get(LambdaEnvironment.LogFormat), "JSON", StringComparison.OrdinalIgnoreCase),
        ParseLevel(environment.Get(LambdaEnvironment.LogLevel)) ?? LogLevel.Info);

    public static LogLevel? ParseLevel(string? value) => value?.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Info,
        "WARN" => LogLevel.Warn,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Fatal,
        _ => null,
    };

    public bool IsEnabled(LogLevel level) => level >= Minimum;

    public void Write(LogLevel level, string? requestId, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var line = Json ? JsonLine(timestamp, level, requestId, message) : TextLine(timestamp, level, requestId, message);
        lock (_gate)
        {
            _writer.Write(line);
            _writer.Flush();
        }
    }

    public RequestLogger For(string requestId) => new(this, requestId);

    private static string TextLine(string timestamp, LogLevel level, string? requestId, string message)
    {
        // One event per line: a newline inside the message would split it into two CloudWatch events.
        var flat = message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return $"{timestamp}\t{requestId ?? "-"}\t{Name(level)}\t{flat}\n";
    }

    private static string JsonLine(string timestamp, LogLevel level, string? requestId, string message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Functions.Json.WireJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp);
            json.WriteString("level", Name(level));
            if (requestId is not null)
            {
                json.WriteString("requestId", requestId);
            }
            json.WriteString("message", message);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warn => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };
}
