using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tests.Serve;
using Functions.Tools.Remote;

namespace Functions.Tests.Remote;

/// <summary>
/// The Lambda API through AWS's SDK for JavaScript (our bridge in node), against serve's Invoke API in front of the
/// dummy function: GetFunctionConfiguration and UpdateFunctionConfiguration as the SDK calls them, Invoke with its
/// log tail, and Lambda's refusals as the SDK surfaces them.
/// </summary>
public sealed class RemoteLambdaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>What a user's shell would give the SDK: a region comes from --region; these are the credentials.</summary>
    internal static readonly Dictionary<string, string> Credentials = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["HOME"] = Path.GetTempPath(),
    };

    private static RemoteLambda Client(DummyApi api, IReadOnlyDictionary<string, string>? environment = null, string? region = "us-east-1") =>
        RemoteLambda.Start(Repository.Locate(), new RemoteOptions(region, null, api.InvokeClient.BaseAddress!.ToString().TrimEnd('/')), environment ?? Credentials);

    [Fact]
    public async Task The_configuration_is_the_functions_as_serve_runs_it()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        await using var lambda = Client(api);

        // Act
        var configuration = await lambda.GetConfigurationAsync("Dummy", CancellationToken.None).WaitAsync(Patience);

        // Assert
        Assert.Equal("Dummy", configuration.FunctionName);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:Dummy", configuration.FunctionArn);
        Assert.Equal(256, configuration.MemorySize);
        Assert.Equal((int)DummyApi.FunctionTimeout.TotalSeconds, configuration.Timeout);
        Assert.Equal(api.Dummy.Spec.Environment.Keys.Order(), configuration.Variables.Keys.Order());
        Assert.Equal(api.Dummy.RevisionId, configuration.RevisionId);
    }

    [Fact]
    public async Task An_update_gives_the_next_invocation_a_new_instance_with_the_new_memory_size_and_environment()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        await using var lambda = Client(api);
        var before = await lambda.GetConfigurationAsync("Dummy", CancellationToken.None).WaitAsync(Patience);
        await lambda.InvokeAsync("Dummy", """{"action":"echo"}"""u8.ToArray(), CancellationToken.None).WaitAsync(Patience);
        var variables = new Dictionary<string, string>(before.Variables) { ["DUMMY_SETTING"] = "tuned" };

        // Act
        var after = await lambda.UpdateConfigurationAsync("Dummy", 512, variables, CancellationToken.None).WaitAsync(Patience);
        var invocation = await lambda.InvokeAsync("Dummy", """{"action":"env"}"""u8.ToArray(), CancellationToken.None).WaitAsync(Patience);

        // Assert
        Assert.Equal(512, after.MemorySize);
        Assert.NotEqual(before.RevisionId, after.RevisionId);
        using var seen = JsonDocument.Parse(invocation.Payload);
        Assert.Equal(512, seen.RootElement.GetProperty("memoryLimitInMB").GetInt32());
        Assert.Equal("tuned", seen.RootElement.GetProperty("environment").GetProperty("DUMMY_SETTING").GetString());
        Assert.Contains("Memory Size: 512 MB", invocation.Log, StringComparison.Ordinal);
        Assert.Contains("Init Duration:", invocation.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, null, "ValidationException", 400, "Member must have value greater than or equal to 128")]
    [InlineData(10241, null, "ValidationException", 400, "Member must have value less than or equal to 10240")]
    [InlineData(null, "AWS_REGION", "InvalidParameterValueException", 400, "Reserved keys used in this request: AWS_REGION")]
    [InlineData(null, "1BAD", "ValidationException", 400, "regular expression pattern")]
    public async Task Values_Lambda_refuses_are_refused_as_Lambda_refuses_them(int? memorySize, string? variable, string error, int status, string message)
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        await using var lambda = Client(api);
        var revision = api.Dummy.RevisionId;

        // Act
        var refused = await Assert.ThrowsAsync<RemoteLambdaException>(() => lambda.UpdateConfigurationAsync(
            "Dummy", memorySize, variable is null ? null : new Dictionary<string, string> { [variable] = "x" }, CancellationToken.None).WaitAsync(Patience));

        // Assert
        Assert.Equal(error, refused.ErrorName);
        Assert.Equal(status, refused.Status);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(revision, api.Dummy.RevisionId);
    }

    [Fact]
    public async Task An_environment_past_4_KB_is_refused()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        await using var lambda = Client(api);

        // Act
        var refused = await Assert.ThrowsAsync<RemoteLambdaException>(() => lambda.UpdateConfigurationAsync(
            "Dummy", null, new Dictionary<string, string> { ["BIG"] = new string('x', 4094) }, CancellationToken.None).WaitAsync(Patience));

        // Assert
        Assert.Equal("InvalidParameterValueException", refused.ErrorName);
        Assert.Contains("exceeded the 4KB limit", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_function_is_ResourceNotFoundException()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        await using var lambda = Client(api);

        // Act
        var refused = await Assert.ThrowsAsync<RemoteLambdaException>(() => lambda.GetConfigurationAsync("Nope", CancellationToken.None).WaitAsync(Patience));

        // Assert
        Assert.Equal("ResourceNotFoundException", refused.ErrorName);
        Assert.Equal(404, refused.Status);
    }

    [Fact]
    public async Task Without_a_region_or_credentials_the_SDK_says_which_is_missing()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        var empty = new Dictionary<string, string> { ["HOME"] = Directory.CreateTempSubdirectory("fn-no-aws-").FullName };
        await using var noRegion = Client(api, empty, region: null);
        await using var noCredentials = Client(api, empty);

        // Act
        var withoutRegion = await Assert.ThrowsAsync<RemoteLambdaException>(() => noRegion.GetConfigurationAsync("Dummy", CancellationToken.None).WaitAsync(Patience));
        var withoutCredentials = await Assert.ThrowsAsync<RemoteLambdaException>(() => noCredentials.GetConfigurationAsync("Dummy", CancellationToken.None).WaitAsync(Patience));

        // Assert
        Assert.Contains("Region is missing", withoutRegion.Message, StringComparison.Ordinal);
        Assert.Equal("CredentialsProviderError", withoutCredentials.ErrorName);
    }

    [Theory]
    [InlineData("""{"MemorySize":512,"RevisionId":"not-the-revision"}""", HttpStatusCode.PreconditionFailed, "PreconditionFailedException")]
    [InlineData("""{"Runtime":"nodejs22.x"}""", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    [InlineData("""[1]""", HttpStatusCode.BadRequest, "InvalidRequestContentException")]
    public async Task An_update_serve_cannot_make_changes_nothing(string body, HttpStatusCode status, string error)
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        var revision = api.Dummy.RevisionId;

        // Act
        using var response = await api.InvokeClient.PutAsync("/2015-03-31/functions/Dummy/configuration", new StringContent(body, Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal(revision, api.Dummy.RevisionId);
        Assert.Equal(256, api.Dummy.Spec.MemoryMb);
    }

    [Fact]
    public async Task The_bridges_death_mid_call_is_an_error_not_a_hang()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        await using var lambda = Client(api);
        await lambda.GetConfigurationAsync("Dummy", CancellationToken.None).WaitAsync(Patience);
        using (var bridge = System.Diagnostics.Process.GetProcessById(lambda.BridgeProcessId))
        {
            bridge.Kill();
            await bridge.WaitForExitAsync().WaitAsync(Patience);
        }

        // Act
        var failed = await Assert.ThrowsAsync<RemoteLambdaException>(() => lambda.GetConfigurationAsync("Dummy", CancellationToken.None).WaitAsync(Patience));

        // Assert
        Assert.Equal("BridgeExited", failed.ErrorName);
    }
}
