using System.Globalization;
using Functions.Tools.Bench;
using Functions.Tools.Remote;

namespace Functions.Tools.Tune;

/// <summary>
/// A deployed function, swept through the Lambda API as Power Tuning sweeps it: each size is an update of MemorySize;
/// a cold start is forced by a changed environment variable (a new configuration means new environments); the figures
/// are Lambda's own, from the REPORT line at the end of each invocation's log tail. The caller puts the configuration
/// back (<see cref="RestoreAsync"/>), however the sweep ended.
/// </summary>
public sealed class RemoteSweepTarget(RemoteLambda lambda, RemoteConfiguration original, byte[] payload) : ISweepTarget
{
    /// <summary>The variable whose new value each cold start sets; removed again by the restore.</summary>
    public const string ColdMarker = "FN_TUNE_COLD";

    /// <summary>How many invocations in a row may still meet a new environment before a warm one is given up on.</summary>
    private const int WarmAttempts = 3;

    private int _memoryMb = original.MemorySize;
    private int _colds;

    /// <summary>Whether the sweep changed the function (what the restore must undo).</summary>
    public bool Changed { get; private set; }

    public string Function => original.FunctionName;

    public string Architecture => original.Architecture;

    public string Shaping => $"deployed, {original.Region}";

    public bool ScalesWithMemory => true;

    public async Task UseMemoryAsync(int memoryMb, CancellationToken cancellationToken)
    {
        Changed = true;
        await lambda.UpdateConfigurationAsync(original.FunctionArn, memoryMb, null, cancellationToken).ConfigureAwait(false);
        _memoryMb = memoryMb;
    }

    public async Task<SweepSample> InvokeColdAsync(CancellationToken cancellationToken)
    {
        Changed = true;
        var variables = new Dictionary<string, string>(original.Variables, StringComparer.Ordinal)
        {
            [ColdMarker] = (++_colds).ToString(CultureInfo.InvariantCulture),
        };
        await lambda.UpdateConfigurationAsync(original.FunctionArn, null, variables, cancellationToken).ConfigureAwait(false);
        return Sample(await InvokeAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Lambda may start a new environment at any time; a report with Init Duration is not a warm sample, so it asks again.</summary>
    public async Task<SweepSample> InvokeWarmAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var report = await InvokeAsync(cancellationToken).ConfigureAwait(false);
            if (!report.IsCold || attempt == WarmAttempts)
            {
                return Sample(report) with { InitMs = report.IsCold ? report.InitDurationMs : null };
            }
        }
    }

    /// <summary>Puts MemorySize and the whole environment back as they were found; the restored configuration.</summary>
    public Task<RemoteConfiguration> RestoreAsync(CancellationToken cancellationToken) =>
        lambda.UpdateConfigurationAsync(original.FunctionArn, original.MemorySize, original.Variables, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<ReportLine> InvokeAsync(CancellationToken cancellationToken)
    {
        var invocation = await lambda.InvokeAsync(original.FunctionArn, payload, cancellationToken).ConfigureAwait(false);
        if (invocation.FunctionError is { } error)
        {
            throw new BenchException($"{Function} did not succeed ({error}): {ShownText.Of(invocation.Payload, 500)}");
        }
        var report = invocation.Log.Split('\n').Select(line => ReportLine.TryParse(line, out var parsed) ? parsed : null).LastOrDefault(r => r is not null);
        return report ?? throw new RemoteLambdaException("NoReport", $"{Function}'s log tail has no REPORT line (LogType Tail returns the last 4 KB of the log): the figures cannot be read.", null);
    }

    private SweepSample Sample(ReportLine report)
    {
        if (report.MemorySizeMb != _memoryMb)
        {
            throw new RemoteLambdaException("StaleSize", $"{Function} ran at {report.MemorySizeMb} MB where the sweep set {_memoryMb} MB: the update did not take.", null);
        }
        return new SweepSample(report.InitDurationMs, report.DurationMs, report.BilledDurationMs, report.MaxMemoryUsedMb);
    }
}
