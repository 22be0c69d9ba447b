namespace Functions.Tools.Nag;

/// <summary>What cdk-nag said of a template: the unsuppressed findings (one line each) and its summary line.</summary>
public sealed record NagReport(IReadOnlyList<string> Findings, string Summary);

/// <summary>
/// cdk-nag's AwsSolutions and Serverless packs over a synthesized template (cdk-nag-check.mjs, run by node with the
/// app's own aws-cdk-lib and cdk-nag), honouring the suppressions the template carries with their reasons
/// (constructs/Nag.cs writes them).
/// </summary>
public static class NagCheck
{
    public const string Script = "cdk-nag-check.mjs";

    /// <summary>Whether the app's node_modules has cdk-nag (package.json lists it; npm install, or ./fn setup in this repository, puts it there).</summary>
    public static bool IsInstalled(Repository repository) => NodeScript.Installed(repository, "cdk-nag", "aws-cdk-lib");

    /// <summary>Refuses at once where cdk-nag is missing: before a template is synthesized for nothing.</summary>
    public static void EnsureInstalled(Repository repository)
    {
        if (!IsInstalled(repository))
        {
            throw new UserError($"cdk-nag is not installed ({Path.Combine(repository.NodeModules, "cdk-nag")} is missing): run {repository.NodeSetup}.");
        }
    }

    public static async Task<NagReport> RunAsync(Repository repository, string template, CancellationToken cancellationToken)
    {
        EnsureInstalled(repository);
        var script = NodeScript.Write(repository, Script);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("node", [script, template], repository.Root, cancellationToken: cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserError($"Cannot start node for cdk-nag: {e.Message}. {Repository.NodeInstallHere}.", inner: e);
        }
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (result.ExitCode is not (0 or 1) || lines.Length == 0)
        {
            throw new UserError($"cdk-nag could not check {template} (exit {result.ExitCode}): {result.Stderr.Trim().Split('\n')[0]}");
        }
        return new NagReport(lines[..^1], lines[^1]);
    }
}
