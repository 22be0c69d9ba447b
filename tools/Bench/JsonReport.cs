using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Functions.Tools.Bench;

/// <summary>
/// The whole run as JSON, every sample and every statistic, for other tools and for comparing runs later.
/// Written field by field with Utf8JsonWriter so the shape is plain to read here and stays stable
/// (the monthly costs are tuples, which the serializer would not name).
/// </summary>
public static class JsonReport
{
    // The file is read by tools and people, never embedded in HTML, so "≤" and "–" may stay as they are.
    internal static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(BenchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("command", run.Command);
            json.WriteString("startedAt", run.StartedAt);
            json.WriteString("machine", run.Machine);
            json.WriteString("pricesDate", run.PricesDate);
            json.WriteNumber("coldShare", run.ColdShare);
            WriteNumbers(json, "rpsLevels", run.RpsLevels);
            json.WriteStartArray("results");
            foreach (var result in run.Results)
            {
                WriteResult(json, result);
            }
            json.WriteEndArray();
            json.WriteStartArray("costs");
            foreach (var cost in run.Costs)
            {
                WriteCost(json, cost);
            }
            json.WriteEndArray();
            json.WriteStartArray("goals");
            foreach (var goal in run.GoalChecks)
            {
                json.WriteStartObject();
                json.WriteString("goal", goal.Goal);
                json.WriteString("function", goal.Function);
                json.WriteNumber("measured", goal.Measured);
                json.WriteNumber("target", goal.Target);
                json.WriteString("unit", goal.Unit);
                json.WriteBoolean("met", goal.Met);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteResult(Utf8JsonWriter json, ModeResult result)
    {
        json.WriteStartObject();
        json.WriteString("function", result.Function);
        json.WriteString("mode", result.Mode);
        json.WriteNumber("bootstrapBytes", result.BootstrapBytes);
        json.WriteNumber("zipBytes", result.ZipBytes);
        WriteNullable(json, "buildSeconds", result.BuildSeconds);
        WriteNullable(json, "peakRssMb", result.PeakRss);
        WriteNullable(json, "memorySizeMb", result.MemorySizeMb);
        json.WriteStartObject("cpu");
        json.WriteString("model", Machine.CpuModel());
        if (result.Cpu is { } cpu)
        {
            json.WriteString("shaping", cpu);
        }
        else
        {
            json.WriteNull("shaping");
        }
        json.WriteString("ranAt", result.RanAt);
        json.WriteEndObject();
        json.WriteStartArray("cold");
        foreach (var sample in result.Cold)
        {
            json.WriteStartObject();
            json.WriteNumber("initMs", sample.InitMs);
            json.WriteNumber("durationMs", sample.DurationMs);
            json.WriteNumber("totalMs", sample.TotalMs);
            json.WriteNumber("peakRssMb", sample.PeakRssMb);
            if (sample.Phases is { } phases)
            {
                json.WriteStartObject("initPhases");
                json.WriteNumber("runtimeStartMs", phases.RuntimeStartMs);
                json.WriteNumber("initCodeMs", phases.InitCodeMs);
                json.WriteNumber("firstRequestMs", phases.FirstRequestMs);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteNumbers(json, "warmMs", result.WarmMs);
        if (result.WarmFirstByteMs.Count > 0)
        {
            WriteNumbers(json, "warmFirstByteMs", result.WarmFirstByteMs);
        }
        json.WriteStartObject("summaries");
        WriteSummary(json, "coldInit", result.ColdInit);
        WriteSummary(json, "coldDuration", result.ColdDuration);
        WriteSummary(json, "coldTotal", result.ColdTotal);
        WriteSummary(json, "warm", result.Warm);
        if (result.WarmFirstByte is { } firstByte)
        {
            WriteSummary(json, "warmFirstByte", firstByte);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCost(Utf8JsonWriter json, CostRow cost)
    {
        json.WriteStartObject();
        json.WriteString("function", cost.Function);
        json.WriteString("mode", cost.Mode);
        json.WriteString("architecture", cost.Architecture);
        json.WriteNumber("memoryMb", cost.MemoryMb);
        json.WriteNumber("perMillionRequests", cost.PerMillionRequests);
        json.WriteStartArray("monthly");
        foreach (var (rps, perMonth) in cost.Monthly)
        {
            json.WriteStartObject();
            json.WriteNumber("rps", rps);
            json.WriteNumber("perMonth", perMonth);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    internal static void WriteSummary(Utf8JsonWriter json, string name, Summary? summary)
    {
        if (summary is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteNumber("count", summary.Count);
        json.WriteNumber("min", summary.Min);
        json.WriteNumber("p50", summary.P50);
        json.WriteNumber("p90", summary.P90);
        json.WriteNumber("p99", summary.P99);
        json.WriteNumber("max", summary.Max);
        json.WriteNumber("mean", summary.Mean);
        json.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
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
}
