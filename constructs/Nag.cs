using Amazon.CDK;
using Constructs;

namespace Functions.Cdk;

/// <summary>
/// A cdk-nag rule this stack breaks on purpose, and why: written into the resource's template Metadata as
/// cdk_nag.rules_to_suppress ([{id, reason}]), the format cdk-nag reads, so the reason travels with the template a
/// reviewer sees. ./fn synth and ./fn nag run the AwsSolutions and Serverless packs on the template (tools/Nag) and honour these.
/// </summary>
public static class Nag
{
    public const string MetadataKey = "cdk_nag";

    public static void Suppress(IConstruct construct, params (string Rule, string Reason)[] rules)
    {
        ArgumentNullException.ThrowIfNull(construct);
        var resource = construct as CfnResource ?? construct.Node.DefaultChild as CfnResource
            ?? throw new SynthesisException($"{construct.Node.Path} is not a CloudFormation resource: cdk-nag suppressions go on one.");
        var existing = resource.GetMetadata(MetadataKey) is Dictionary<string, object> { } previous && previous.TryGetValue("rules_to_suppress", out var list) && list is object[] old
            ? old
            : [];
        resource.AddMetadata(MetadataKey, new Dictionary<string, object>
        {
            ["rules_to_suppress"] = existing.Concat(rules.Select(r => (object)new Dictionary<string, string> { ["id"] = r.Rule, ["reason"] = r.Reason })).ToArray(),
        });
    }
}
