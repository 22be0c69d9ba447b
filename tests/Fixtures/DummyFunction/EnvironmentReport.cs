using System.Text.Json;
using Functions.Runtime;

namespace DummyFunction;

/// <summary>The "env" action: what the function sees of its invocation and of Lambda's environment, as JSON.</summary>
internal static class EnvironmentReport
{
    private static readonly string[] Variables =
    [
        LambdaEnvironment.RuntimeApi,
        LambdaEnvironment.FunctionName,
        LambdaEnvironment.FunctionVersion,
        LambdaEnvironment.FunctionMemorySize,
        LambdaEnvironment.LogGroupName,
        LambdaEnvironment.LogStreamName,
        LambdaEnvironment.Region,
        "DUMMY_SETTING",
        "HOME",
    ];

    public static byte[] Write(InvocationContext context, LambdaEnvironment environment)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("requestId", context.RequestId);
            json.WriteNumber("remainingMs", (long)context.RemainingTime.TotalMilliseconds);
            json.WriteString("functionName", context.FunctionName);
            json.WriteNumber("memoryLimitInMB", context.MemoryLimitInMB);
            json.WriteString("invokedFunctionArn", context.InvokedFunctionArn);
            // Read from the process, where the runtime puts it for the AWS SDKs, not from the context.
            json.WriteString("traceId", Environment.GetEnvironmentVariable(LambdaEnvironment.TraceId));
            json.WriteString("clientContext", context.ClientContext);
            json.WriteStartObject("environment");
            foreach (var name in Variables)
            {
                json.WriteString(name, environment.Get(name));
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
