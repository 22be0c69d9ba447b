using System.Text.Json;
using Functions.Tools.Remote;

namespace Functions.Tools.Tune;

/// <summary>
/// ./fn tune --remote: the sweep against a deployed function through the Lambda API, and its configuration put back
/// as it was found however the sweep ends (done, failed, Ctrl-C), saying what was restored.
/// </summary>
internal sealed class RemoteTune(Repository repository, RemoteOptions options, Action<string> note)
{
    /// <summary>How long the restore may take after a Ctrl-C: Lambda's update and its wait are seconds.</summary>
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(2);

    public async Task<TuneResult> RunAsync(string function, byte[] payload, MemorySweep sweep, IReadOnlyList<int> sizes, int cold, int warm, CancellationToken cancellationToken)
    {
        try
        {
            await using var lambda = RemoteLambda.Start(repository, options);
            var original = await lambda.GetConfigurationAsync(function, cancellationToken).ConfigureAwait(false);
            note($"{original.FunctionName} ({original.FunctionArn}): MemorySize {original.MemorySize} MB, {original.Variables.Count} environment variables; put back when the sweep ends");
            var target = new RemoteSweepTarget(lambda, original, payload);
            try
            {
                return await sweep.RunAsync(target, sizes, cold, warm, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (target.Changed)
                {
                    await RestoreAsync(target, original).ConfigureAwait(false);
                }
            }
        }
        catch (RemoteLambdaException e)
        {
            throw new UserError(Describe(e, function), inner: e);
        }
    }

    private async Task RestoreAsync(RemoteSweepTarget target, RemoteConfiguration original)
    {
        using var patience = new CancellationTokenSource(RestoreTimeout);
        try
        {
            var restored = await target.RestoreAsync(patience.Token).ConfigureAwait(false);
            note($"restored {restored.FunctionName}: MemorySize {restored.MemorySize} MB, {restored.Variables.Count} environment variables, as found");
        }
        catch (Exception e) when (e is RemoteLambdaException or OperationCanceledException)
        {
            var saved = Path.Combine(repository.State, $"tune-restore-{original.FunctionName}.json");
            Directory.CreateDirectory(repository.State);
            await File.WriteAllTextAsync(saved, JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
            {
                ["Variables"] = new(original.Variables, StringComparer.Ordinal),
            }, RemoteJson.Default.DictionaryStringDictionaryStringString)).ConfigureAwait(false);
            note($"could NOT restore {original.FunctionName} ({e.Message}): set it back by hand: aws lambda update-function-configuration "
                + $"--function-name {original.FunctionArn} --memory-size {original.MemorySize} --environment file://{saved}");
        }
    }

    /// <summary>The SDK's error as one line a user can act on.</summary>
    private static string Describe(RemoteLambdaException e, string function) => e.ErrorName switch
    {
        "ResourceNotFoundException" => $"Lambda has no function {function} in this account and region ({e.Message}): check the name, --region and --profile.",
        "CredentialsProviderError" => $"No AWS credentials for the Lambda API ({e.Message}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, give --profile, or run aws sso login.",
        _ when e.Message.Contains("Region is missing", StringComparison.Ordinal) => "No AWS region for the Lambda API: give --region, or set AWS_REGION or a region in your profile.",
        "AccessDeniedException" => $"The Lambda API refused access ({e.Message}): tune needs lambda:GetFunctionConfiguration, lambda:UpdateFunctionConfiguration and lambda:InvokeFunction.",
        _ => $"The Lambda API failed for {function}: {e.ErrorName}: {e.Message}",
    };
}
