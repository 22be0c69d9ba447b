using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Functions.Tests.Cli;
using Functions.Tests.Functions;

namespace Functions.Tests.WebConsole;

/// <summary>
/// serve's console in a real browser (Debian's chromium, driven by playwright-core through console-browser.mjs) on a
/// real `./fn serve` of the Items API: the functions listed, Items.Create invoked with its sample event (201 and the
/// REPORT line), its instance warm after, the event edited and saved to events/ (the same name again refused), an event
/// made from the declaration, a request made outside the page seen live, the latest bench run's chart, and a page of
/// another site that tries simple cross-site POSTs to the console and to the Invoke API running nothing. Screenshots of
/// each step go to artifacts/test-output/console/.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ConsoleBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_user_invokes_a_function_from_the_console_sees_it_warm_and_the_traffic_live_and_another_site_runs_nothing()
    {
        var repository = Repository.Locate();
        var bench = await FnCli.RunAsync(TimeSpan.FromMinutes(5), null, "bench", "Hello", "--modes", "aot", "--cold", "2", "--warm", "5");
        Assert.True(bench.ExitCode == 0, bench.Stderr);
        await using var serve = await FnProcess.StartAsync("--in-memory");
        var screenshots = Directory.CreateDirectory(Path.Combine(repository.Artifacts, "test-output", "console")).FullName;
        var saveAs = $"console-test-{Guid.NewGuid():N}"[..24];
        var saved = Path.Combine(repository.Events, $"items-create.{saveAs}.json");

        JsonElement seen;
        try
        {
            seen = await RunBrowserAsync(repository, serve.ConsoleAddress!, serve.Address, serve.InvokeAddress!, screenshots, saveAs);
            // The body is a JSON string inside the event: the edit is there, escaped.
            Assert.Contains("Console cup", await File.ReadAllTextAsync(saved), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(saved);
        }

        Assert.Equal(["Hello", "Items.Create", "Items.Delete", "Items.Export", "Items.Get", "Items.List", "Items.Update"],
            seen.GetProperty("functions").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("201", seen.GetProperty("status").GetString());
        Assert.StartsWith("REPORT RequestId: ", seen.GetProperty("report").GetString(), StringComparison.Ordinal);
        Assert.Contains("Init Duration", seen.GetProperty("report").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"name\": \"Espresso cup\"", seen.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal("1: 0 starting, 0 busy, 1 idle", seen.GetProperty("instances").GetString());
        Assert.Matches(@"^pid \d+ · idle \d+ s · 1 invocation · init [\d.]+ ms( · \d+ MB)?$", seen.GetProperty("instance").GetString());
        Assert.Equal($"Saved as events/items-create.{saveAs}.json", seen.GetProperty("saved").GetString());
        Assert.Equal($"items-create.{saveAs}.json", seen.GetProperty("selectedAfterSave").GetString());
        Assert.Contains("already exists", seen.GetProperty("savedAgain").GetString(), StringComparison.Ordinal);
        var generated = seen.GetProperty("generated");
        Assert.Equal("POST /items", generated.GetProperty("routeKey").GetString());
        Assert.Equal("dev-user", generated.GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt").GetProperty("claims").GetProperty("sub").GetString());
        Assert.Equal("""{"name":"","description":null,"price":0,"tags":[""]}""", generated.GetProperty("body").GetString());
        Assert.Equal("fn bench Hello --modes aot --cold 2 --warm 5", seen.GetProperty("benchCommand").GetString());
        Assert.True(seen.GetProperty("benchChartLoaded").GetBoolean());
        Assert.Contains("| Hello | aot |", seen.GetProperty("benchTables").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, seen.GetProperty("curlStatus").GetInt32());
        Assert.Matches(@"\tGET\t/hello\tHello\t200\t[0-9.]+\t(cold|warm)\t[A-Za-z0-9+/]{14}==$", seen.GetProperty("traffic").GetString());
        var detail = seen.GetProperty("detail");
        Assert.Equal("Hello", detail.GetProperty("function").GetString());
        Assert.Equal("200", detail.GetProperty("status").GetString());
        Assert.Equal("/hello", detail.GetProperty("event").GetProperty("rawPath").GetString());
        Assert.Contains("apigw-requestid: ", detail.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^START RequestId: .*\n(.*\n)*END RequestId: .*\nREPORT RequestId: ", detail.GetProperty("log").GetString());
        Assert.Equal(0, seen.GetProperty("helloShownForItemsCreate").GetInt32());
        Assert.Equal(["/no-such-route 404"], seen.GetProperty("filteredRows").EnumerateArray().Select(r => r.GetString()));
        // The browser sent the simple requests (it cannot tell they were refused) and blocked the one with a header of the console's own.
        Assert.Equal(["sent", "sent"], seen.GetProperty("crossSite").EnumerateArray().Take(2).Select(a => a.GetString()));
        Assert.StartsWith("blocked", seen.GetProperty("crossSite")[2].GetString(), StringComparison.Ordinal);
        Assert.Equal(seen.GetProperty("helloInvocationsBefore").GetInt64(), seen.GetProperty("helloInvocationsAfter").GetInt64());
        Assert.Contains("INVOKE /2015-03-31/functions/Hello/invocations 403", serve.Output, StringComparison.Ordinal);
        foreach (var shot in new[] { "functions.png", "invoke.png", "traffic.png", "figures.png" })
        {
            Assert.True(new FileInfo(Path.Combine(screenshots, shot)).Length > 10_000, $"{shot} is missing or empty");
        }
    }

    [Fact]
    public async Task The_console_refuses_another_origin_a_rebound_host_name_and_a_change_without_its_marker()
    {
        await using var serve = await FnProcess.StartAsync("--in-memory");
        using var client = new HttpClient { BaseAddress = serve.ConsoleAddress };

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/functions");
        foreign.Headers.Add("Origin", "https://evil.example");
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
        rebound.Headers.Host = "rebound.evil.example";
        using var unmarked = new HttpRequestMessage(HttpMethod.Post, "/api/functions/Hello/invoke") { Content = new StringContent("{}") };
        using var own = new HttpRequestMessage(HttpMethod.Get, "/api/functions");
        own.Headers.Add("Origin", serve.ConsoleAddress!.GetLeftPart(UriPartial.Authority));

        using var foreignAnswer = await client.SendAsync(foreign);
        using var reboundAnswer = await client.SendAsync(rebound);
        using var unmarkedAnswer = await client.SendAsync(unmarked);
        using var ownAnswer = await client.SendAsync(own);

        Assert.Equal(HttpStatusCode.Forbidden, foreignAnswer.StatusCode);
        Assert.Equal("application/problem+json", foreignAnswer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("https://evil.example is refused", await foreignAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, reboundAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unmarkedAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownAnswer.StatusCode);
        Assert.DoesNotContain("[Hello] START", serve.Output, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunBrowserAsync(Repository repository, Uri console, Uri api, Uri invoke, string screenshots, string saveAs)
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                Path.Combine(repository.Root, "tests", "Functions.Tests", "WebConsole", "console-browser.mjs"),
                console.ToString().TrimEnd('/'), api.ToString().TrimEnd('/'), invoke.ToString().TrimEnd('/'), screenshots, saveAs,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository.Root,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(Patience);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await errors}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
