using System.Globalization;
using Functions.Runtime;

namespace Functions.Tools.Instances;

/// <summary>The variables Lambda sets in an execution environment of the provided.al2023 runtime.</summary>
internal static class LambdaVariables
{
    public static IReadOnlyDictionary<string, string> For(FunctionSpec spec, string runtimeApi)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return new Dictionary<string, string>
        {
            [LambdaEnvironment.RuntimeApi] = runtimeApi,
            [LambdaEnvironment.FunctionName] = spec.Name,
            [LambdaEnvironment.FunctionVersion] = "$LATEST",
            [LambdaEnvironment.FunctionMemorySize] = spec.MemoryMb.ToString(CultureInfo.InvariantCulture),
            [LambdaEnvironment.LogGroupName] = $"/aws/lambda/{spec.Name}",
            [LambdaEnvironment.LogStreamName] = $"{DateTime.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            [LambdaEnvironment.Region] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
            ["_HANDLER"] = "bootstrap",
            ["LAMBDA_TASK_ROOT"] = Path.GetDirectoryName(spec.Bootstrap)!,
            ["LAMBDA_RUNTIME_DIR"] = Path.GetDirectoryName(spec.Bootstrap)!,
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = path,
            // Locally there is no role: dummy credentials satisfy the SDK; the local DynamoDB ignores them.
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["AWS_SESSION_TOKEN"] = "local",
        };
    }
}
