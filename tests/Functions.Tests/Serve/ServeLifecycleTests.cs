using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tests.Cli;
using Functions.Tests.Functions;

namespace Functions.Tests.Serve;

/// <summary>Starting and stopping ./fn serve the way a user does: the banner, Ctrl-C, nothing left behind, data kept.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ServeLifecycleTests
{
    [Fact]
    public async Task Ctrl_C_stops_every_process_it_started_and_the_data_dir_keeps_the_items()
    {
        var data = Directory.CreateTempSubdirectory("fn-serve-data-");
        try
        {
            string id;
            IReadOnlyList<int> children;
            int exitCode;
            await using (var first = await FnProcess.StartAsync("--data-dir", data.FullName))
            {
                using var created = await first.Client.PostAsync("/items", new StringContent("""{"name":"kept","price":3}""", Encoding.UTF8, "application/json"));
                id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
                using var hello = await first.Client.GetAsync("/hello");
                children = first.Descendants();

                exitCode = await first.InterruptAsync();
            }

            await using var second = await FnProcess.StartAsync("--data-dir", data.FullName);
            using var got = await second.Client.GetAsync($"/items/{id}");

            Assert.Equal(0, exitCode);
            Assert.True(children.Count >= 3, $"Expected dynalite and two function instances below serve, saw {children.Count}.");
            Assert.DoesNotContain(children, FnProcess.IsAlive);
            Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_banner_lists_every_route_and_a_curl_example()
    {
        await using var serve = await FnProcess.StartAsync("--in-memory");

        Assert.True(await serve.WaitForOutputAsync("Ctrl-C stops.", TimeSpan.FromSeconds(30)), serve.Output);
        var output = serve.Output;

        foreach (var route in new[] { "POST /items", "GET /items/{id}", "GET /items", "PUT /items/{id}", "DELETE /items/{id}", "GET /hello" })
        {
            Assert.Contains(route, output, StringComparison.Ordinal);
        }
        Assert.Contains($"curl -s -X POST {serve.Address.ToString().TrimEnd('/')}/items", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_error()
    {
        await using var first = await FnProcess.StartAsync("--in-memory");

        var second = await FnCli.RunAsync(TimeSpan.FromMinutes(3), null, "serve", "--in-memory", "--port", first.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("--port", second.Stderr, StringComparison.Ordinal);
    }
}
