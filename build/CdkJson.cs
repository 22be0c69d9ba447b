using System.Text.Json;
using System.Text.Json.Nodes;

namespace Functions.Build;

/// <summary>
/// The repository's cdk.json, as the cdk CLI reads it: its "context" (jwtIssuer, corsOrigins...) is what the app is
/// configured with when it deploys, so local synthesis and the tests pass the same.
/// </summary>
public static class CdkJson
{
    /// <summary>A copy of cdk.json's "context" object; empty when there is no cdk.json or no context.</summary>
    /// <exception cref="BuildException">cdk.json is not JSON.</exception>
    public static JsonObject Context(Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var file = Path.Combine(repository.Root, "cdk.json");
        if (!File.Exists(file))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["context"]?.DeepClone() as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            throw new BuildException($"{file} is not valid JSON (line {(e.LineNumber ?? 0) + 1}): fix it or restore it with git checkout cdk.json.");
        }
    }
}
