using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tests.Cli;
using Functions.Tests.DynamoDb;
using Functions.Tests.Functions;

namespace Functions.Tests.Serve;

/// <summary>
/// What survives what (the README's table): kill -9 of serve takes its dynalite with it and the data dir is
/// usable at once; a second serve on a data dir in use is refused naming the first; kill -9 of dynalite is reported,
/// answered with a clear 503 meanwhile, and healed with the items kept. The real CLI, real signals.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ServeSurvivalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Kill_9_of_serve_takes_dynalite_with_it_and_the_next_serve_has_the_items()
    {
        using var data = new ScratchFolder();
        string id;
        int dynalite;
        await using (var first = await FnProcess.StartAsync("--data-dir", data.Path))
        {
            id = await CreateAsync(first.Client, "survives");
            dynalite = first.DescendantNamed("node") ?? throw new InvalidOperationException("serve runs no dynalite:\n" + first.Output);

            await first.KillHardAsync();
        }
        await Eventually.WaitUntilAsync(() => !FnProcess.IsAlive(dynalite), Patience);

        await using var second = await FnProcess.StartAsync("--data-dir", data.Path);
        using var got = await second.Client.GetAsync($"/items/{id}");

        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
    }

    [Fact]
    public async Task A_second_serve_on_a_data_dir_in_use_is_refused_naming_the_first()
    {
        using var data = new ScratchFolder();
        await using var first = await FnProcess.StartAsync("--data-dir", data.Path);
        var dynalite = first.DescendantNamed("node");

        var second = await FnCli.RunAsync(TimeSpan.FromMinutes(3), null, "serve", "--port", "0", "--data-dir", data.Path);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"is in use by dynalite (pid {dynalite}", second.Stderr, StringComparison.Ordinal);
        Assert.Contains($"started by another fn serve (pid {first.ProcessId})", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_9_of_dynalite_is_reported_answered_with_a_clear_503_and_healed_with_the_items_kept()
    {
        using var data = new ScratchFolder();
        await using var serve = await FnProcess.StartAsync("--data-dir", data.Path);
        var id = await CreateAsync(serve.Client, "kept");
        var dynalite = serve.DescendantNamed("node")!.Value;

        Process.GetProcessById(dynalite).Kill();
        var refusals = new List<string>();
        using var until = new CancellationTokenSource(Patience);
        while (true)
        {
            using var got = await serve.Client.GetAsync($"/items/{id}", until.Token);
            if (got.StatusCode == HttpStatusCode.OK)
            {
                break;
            }
            refusals.Add($"{(int)got.StatusCode} {got.Content.Headers.ContentType?.MediaType} {await got.Content.ReadAsStringAsync(until.Token)}");
            await Task.Delay(10, until.Token);
        }

        // Before serve notices, a function may meet the dead port (its own 503); after, the gateway answers for it.
        Assert.All(refusals, r => Assert.StartsWith("503 application/problem+json", r, StringComparison.Ordinal));
        Assert.All(refusals, r => Assert.Matches("dynalite|could not be reached", r));
        Assert.True(await serve.WaitForOutputAsync("DynamoDB is back", Patience), serve.Output);
        Assert.Contains($"pid {dynalite}) was killed by signal 9", serve.Output, StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(HttpClient client, string name)
    {
        using var created = await client.PostAsync("/items", new StringContent($$"""{"name":"{{name}}","price":3}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

}
