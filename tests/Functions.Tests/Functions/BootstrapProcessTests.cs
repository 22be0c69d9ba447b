using System.Text;
using System.Text.Json;
using Functions.Http;
using Functions.Json;
using Functions.Tests.Events;
using Functions.Tools.Instances;

namespace Functions.Tests.Functions;

/// <summary>Each Native AOT bootstrap, as a real process on the Runtime API, answers its events/ files as documented.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class BootstrapProcessTests(BuiltFunctionsFixture functions)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // The id the sample events name; replaced by a real item's id so the success statuses can be seen.
    private const string SampleId = "dGhpcyBpcyBhIHRlc3QhIQ";

    public static TheoryData<string> EventsNotNamingTheSampleItem() =>
        new(SampleEvents.Files().Where(f => !SampleEvents.Read(f).Contains(SampleId, StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(EventsNotNamingTheSampleItem))]
    public async Task Every_event_gets_its_documented_status_from_the_real_bootstrap(string file)
    {
        var (function, status) = SampleEvents.Table()[file];

        var response = await InvokeAsync(function, SampleEvents.Read(file));

        Assert.Equal(status, response.StatusCode);
        AssertProblemWhenFailed(response);
    }

    [Fact]
    public async Task The_item_events_give_their_documented_statuses_for_a_real_item()
    {
        var created = await InvokeAsync("Items.Create", SampleEvents.Read("items-create.json"));
        var id = JsonDocument.Parse(created.Body!).RootElement.GetProperty("id").GetString()!;
        var table = SampleEvents.Table();

        // In order: read it, replace it (version 2), a stale If-Match "1" is refused, then delete it, then it is gone.
        string[] story = ["items-get.json", "items-update.json", "items-update.stale-if-match.json", "items-delete.json"];
        var statuses = new List<int>();
        foreach (var file in story)
        {
            var response = await InvokeAsync(table[file].Function, SampleEvents.Read(file).Replace(SampleId, id, StringComparison.Ordinal));
            statuses.Add(response.StatusCode);
        }
        var afterDelete = await InvokeAsync("Items.Get", SampleEvents.Read("items-get.json").Replace(SampleId, id, StringComparison.Ordinal));

        Assert.Equal(201, created.StatusCode);
        Assert.Equal(story.Select(f => table[f].Status), statuses);
        Assert.Equal(404, afterDelete.StatusCode);
    }

    [Fact]
    public async Task A_missing_TABLE_NAME_is_an_init_error_and_the_process_exits_non_zero()
    {
        var spec = functions.Spec("Items.Get", new Dictionary<string, string>());
        await using var instance = await FunctionInstance.StartAsync(spec, functions.Server, _ => { });

        var notReady = await instance.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.NotNull(notReady);
        Assert.Contains("TABLE_NAME", Encoding.UTF8.GetString(notReady.Payload), StringComparison.Ordinal);
        Assert.Equal("Runtime.InitializationException", notReady.ErrorType);
    }

    [Fact]
    public async Task A_warm_instance_serves_many_invocations_and_reports_init_only_once()
    {
        await using var instance = await FunctionInstance.StartAsync(functions.Spec("Hello"), functions.Server, _ => { });
        var payload = Encoding.UTF8.GetBytes(SampleEvents.Read("hello.json"));

        var first = await instance.InvokeAsync(payload).WaitAsync(Patience);
        var second = await instance.InvokeAsync(payload).WaitAsync(Patience);

        Assert.True(first.Outcome.IsSuccess);
        Assert.True(second.Outcome.IsSuccess);
        Assert.NotNull(first.InitDurationMs);
        Assert.Null(second.InitDurationMs);
        Assert.InRange(first.MaxMemoryUsedMb ?? 0, 1, 256);
    }

    private async Task<HttpApiResponse> InvokeAsync(string function, string json)
    {
        await using var instance = await FunctionInstance.StartAsync(functions.Spec(function), functions.Server, _ => { });
        var report = await instance.InvokeAsync(Encoding.UTF8.GetBytes(json)).WaitAsync(Patience);
        Assert.True(report.Outcome.IsSuccess, $"{function} failed: {report.Outcome.ErrorType} {Encoding.UTF8.GetString(report.Outcome.Payload)}");
        // A streamed answer (the export's) read as fn invoke reads it: the response its prelude and body make.
        return JsonSerializer.Deserialize(global::Functions.Tools.Invoke.StreamedPayload.Printable(report.Outcome), FunctionsJson.Wire.HttpApiResponse)!;
    }

    private static void AssertProblemWhenFailed(HttpApiResponse response)
    {
        if (response.StatusCode < 400)
        {
            return;
        }
        Assert.Equal("application/problem+json", response.Headers?["content-type"]);
        var problem = JsonDocument.Parse(response.Body!).RootElement;
        Assert.Equal(response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("instance").GetString()));
    }
}
