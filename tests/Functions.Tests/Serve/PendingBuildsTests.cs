using System.Net;
using System.Text;
using Functions.Tools.ApiGateway;
using Functions.Tools.Serve;
using Functions.Tools.Template;

namespace Functions.Tests.Serve;

/// <summary>
/// serve listens before its functions are built: a request to a function still building waits for its build within
/// the integration timeout and is answered by it; past the timeout, or when the build failed, the caller gets a 503
/// that says which; the Invoke API answers Lambda's Pending-state conflict.
/// </summary>
public sealed class PendingBuildsTests
{
    private const string Event = """{"action":"echo"}""";

    [Fact]
    public async Task A_request_to_a_function_still_building_waits_for_its_build_and_is_answered_by_it()
    {
        // Arrange
        await using var gateway = await DummyApi.StartAsync(integrationTimeout: TimeSpan.FromSeconds(30), dummyStillBuilding: true);

        // Act: the request goes out while the function is still building; the build ends a second later.
        var answer = gateway.Client.PostAsync("/dummy", new StringContent(Event, Encoding.UTF8, "application/json"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(answer.IsCompleted);
        gateway.Pending!.Built("DummyFn", gateway.Dummy);
        using var response = await answer;

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_request_still_waiting_at_the_integration_timeout_gets_a_503_that_says_the_function_is_building()
    {
        // Arrange
        await using var gateway = await DummyApi.StartAsync(integrationTimeout: TimeSpan.FromSeconds(1), dummyStillBuilding: true);

        // Act
        using var response = await gateway.Client.PostAsync("/dummy", new StringContent(Event, Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Dummy is still building (0 of 1 functions built since serve started); retry in a few seconds.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_to_a_function_that_did_not_build_gets_a_503_with_the_reason()
    {
        // Arrange
        await using var gateway = await DummyApi.StartAsync(integrationTimeout: TimeSpan.FromSeconds(30), dummyStillBuilding: true);
        gateway.Pending!.Failed("DummyFn", "dotnet publish failed: CS1002 ; expected");

        // Act
        using var response = await gateway.Client.PostAsync("/dummy", new StringContent(Event, Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Dummy did not build: dotnet publish failed: CS1002 ; expected (serve's log says why).", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_to_no_function_is_still_a_404_while_others_build()
    {
        await using var gateway = await DummyApi.StartAsync(integrationTimeout: TimeSpan.FromSeconds(30), dummyStillBuilding: true);

        using var response = await gateway.Client.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_Invoke_API_answers_Lambdas_Pending_state_conflict_for_a_function_still_building()
    {
        // Arrange
        await using var gateway = await DummyApi.StartAsync(integrationTimeout: TimeSpan.FromSeconds(30), dummyStillBuilding: true);

        // Act
        using var response = await gateway.InvokeClient.PostAsync("/2015-03-31/functions/Dummy/invocations", new StringContent(Event, Encoding.UTF8));

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("ResourceConflictException", response.Headers.GetValues("x-amzn-ErrorType").Single().Split(':')[0]);
        Assert.Contains("The function is currently in the following state: Pending", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_builds_go_reads_first_then_by_route_so_hello_comes_before_the_writes()
    {
        TemplateFunction Function(string name) => new(name + "Fn", name, $"lambdas/{name}", 256, TimeSpan.FromSeconds(10), new Dictionary<string, System.Text.Json.Nodes.JsonNode?>());
        var functions = new[] { "Create", "Delete", "Get", "Hello", "List", "Update" }.Select(Function).ToList();
        var routes = RouteTable.Create([
            new TemplateRoute("POST /items", "CreateFn"),
            new TemplateRoute("DELETE /items/{id}", "DeleteFn"),
            new TemplateRoute("GET /items/{id}", "GetFn"),
            new TemplateRoute("GET /hello", "HelloFn"),
            new TemplateRoute("GET /items", "ListFn"),
            new TemplateRoute("PUT /items/{id}", "UpdateFn"),
        ]);

        var order = LocalServer.BuildOrder(functions, routes).Select(f => f.Name);

        Assert.Equal(["Hello", "List", "Get", "Create", "Update", "Delete"], order);
    }
}
