using System.Text;
using System.Text.Json;
using Functions.Tools.Bench;
using Functions.Tools.Limits;

namespace Functions.Tools.Tune;

/// <summary>The whole tune run as JSON, every sample, statistic, cost and pick, for other tools and later comparisons.</summary>
public static class TuneJson
{
    public static string Write(TuneRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonReport.Options))
        {
            json.WriteStartObject();
            json.WriteString("command", run.Command);
            json.WriteString("startedAt", run.StartedAt);
            json.WriteString("machine", run.Machine);
            json.WriteString("strategy", TuneStrategies.Name(run.Strategy));
            json.WriteNumber("coldShare", run.ColdShare);
            json.WriteString("pricesDate", run.PricesDate);
            json.WriteStartArray("results");
            foreach (var result in run.Results)
            {
                WriteResult(json, result, run.ColdShare);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteResult(Utf8JsonWriter json, TuneResult result, double coldShare)
    {
        json.WriteStartObject();
        json.WriteString("function", result.Function);
        json.WriteString("architecture", result.Architecture);
        json.WriteString("shaping", result.Shaping);
        json.WriteBoolean("scalesWithMemory", result.ScalesWithMemory);
        json.WriteStartObject("picks");
        foreach (var strategy in TuneStrategies.All)
        {
            json.WriteNumber(TuneStrategies.Name(strategy), result.Pick(strategy, coldShare).MemoryMb);
        }
        json.WriteEndObject();
        json.WriteStartArray("sizes");
        foreach (var size in result.Sizes)
        {
            WriteSize(json, size, coldShare);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSize(Utf8JsonWriter json, SizeResult size, double coldShare)
    {
        json.WriteStartObject();
        json.WriteNumber("memoryMb", size.MemoryMb);
        json.WriteNumber("vcpus", LambdaShape.Vcpus(size.MemoryMb));
        json.WriteNumber("maxMemoryUsedMb", size.MaxMemoryUsedMb);
        json.WriteNumber("expectedDurationMs", size.ExpectedDurationMs(coldShare));
        if (size.WarmBilledMs is { } billed)
        {
            json.WriteNumber("warmBilledMs", billed);
        }
        else
        {
            json.WriteNull("warmBilledMs");
        }
        if (size.WarmP95 is { } p95)
        {
            json.WriteNumber("warmP95Ms", p95);
        }
        else
        {
            json.WriteNull("warmP95Ms");
        }
        json.WriteNumber("costPerInvocation", size.CostPerInvocation);
        json.WriteNumber("costPerMillion", size.Cost.PerMillionRequests);
        json.WriteStartObject("summaries");
        JsonReport.WriteSummary(json, "init", size.Init);
        JsonReport.WriteSummary(json, "coldTotal", size.ColdTotal);
        JsonReport.WriteSummary(json, "warm", size.WarmDuration);
        json.WriteEndObject();
        WriteSamples(json, "cold", size.Cold);
        WriteSamples(json, "warm", size.Warm);
        json.WriteEndObject();
    }

    private static void WriteSamples(Utf8JsonWriter json, string name, IReadOnlyList<SweepSample> samples)
    {
        json.WriteStartArray(name);
        foreach (var sample in samples)
        {
            json.WriteStartObject();
            if (sample.InitMs is { } init)
            {
                json.WriteNumber("initMs", init);
            }
            json.WriteNumber("durationMs", sample.DurationMs);
            json.WriteNumber("billedMs", sample.BilledMs);
            json.WriteNumber("maxMemoryUsedMb", sample.MaxMemoryUsedMb);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
