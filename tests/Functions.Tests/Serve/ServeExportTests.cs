using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using Functions.Tests.Cli;
using Functions.Tests.Functions;
using Functions.Tools.DynamoDb;

namespace Functions.Tests.Serve;

/// <summary>
/// The Items export past Lambda's 6 MB through `./fn serve` of its own: the AOT function, dynalite, its function URL and
/// a real HTTP client that reads slowly. The table is filled through dynalite's own endpoint (serve's banner names it),
/// a page of writes at a time, so the 30 MB cost seconds rather than thousands of API calls.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed partial class ServeExportTests
{
    private const int Items = 15_000;
    private const int DescriptionLength = 2_000;

    /// <summary>What serve may grow by while it passes a stream on: its buffers, not the export.</summary>
    private const long MaxGrowthBytes = 16 * 1024 * 1024;

    [Fact]
    public async Task A_30_MB_export_sends_its_first_line_before_the_second_page_is_read_and_a_slow_reader_leaves_serve_s_memory_flat()
    {
        await using var serve = await FnProcess.StartAsync("--in-memory");
        using var urls = new HttpClient { BaseAddress = serve.UrlAddress, Timeout = TimeSpan.FromMinutes(2) };
        // An export of the empty table first: serve's streaming path is then compiled before its idle memory is read.
        using (var empty = await urls.SendAsync(Signed()))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        }
        var seeded = await SeedAsync(DynaliteEndpoint().Match(serve.Output).Groups[1].Value);
        var idle = Rss(serve.ProcessId);

        using var response = await urls.SendAsync(Signed(), HttpCompletionOption.ResponseHeadersRead);
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await body.ReadLineAsync();
        var firstLineAt = DateTimeOffset.UtcNow;
        // The first 8 MB at about 3 MB a second, serve's memory read as it goes; the rest as fast as it comes.
        var (lines, read, peak) = (1, (long)first!.Length + 1, idle);
        var slowly = new char[16 * 1024];
        while (read < 8 * 1024 * 1024)
        {
            var got = await body.ReadBlockAsync(slowly);
            read += got;
            lines += slowly.AsSpan(0, got).Count('\n');
            peak = Math.Max(peak, Rss(serve.ProcessId));
            await Task.Delay(5);
        }
        lines += (await body.ReadToEndAsync()).Count('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(seeded > 30 * 1000 * 1000, $"the table holds {seeded} bytes of items");
        Assert.Equal(Items, lines);
        Assert.StartsWith("{\"id\":", first, StringComparison.Ordinal);
        var secondPageRead = await PageReadAsync(serve, 2);
        Assert.True(firstLineAt < secondPageRead, $"the first line came at {firstLineAt:O}, the second page was read at {secondPageRead:O}");
        Assert.True(peak - idle < MaxGrowthBytes, $"serve grew from {idle} to {peak} bytes while the export was read");
    }

    /// <summary>The items, written 25 at a time (BatchWriteItem's most) four batches at once.</summary>
    /// <returns>The bytes of their descriptions and names: about what the export sends.</returns>
    private static async Task<long> SeedAsync(string endpoint)
    {
        using var dynamo = TableProvisioner.CreateClient(endpoint);
        var table = (await dynamo.ListTablesAsync()).TableNames.Single();
        var description = new string('d', DescriptionLength);
        var batches = Enumerable.Range(0, Items).Chunk(25).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, cancellationToken) =>
        {
            var writes = batch.Select(n => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["id"] = new() { S = $"export-{n:D6}" },
                ["name"] = new() { S = $"Exported item {n}" },
                ["description"] = new() { S = description },
                ["price"] = new() { N = "12.5" },
                ["tags"] = new() { L = [new() { S = "export" }] },
                ["createdAt"] = new() { S = "2026-12-05T00:00:00.000Z" },
                ["updatedAt"] = new() { S = "2026-12-05T00:00:00.000Z" },
                ["version"] = new() { N = "1" },
            }))).ToList();
            var unprocessed = await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = writes } }, cancellationToken);
            Assert.Empty(unprocessed.UnprocessedItems ?? []);
        });
        return (long)Items * (DescriptionLength + "Exported item 00000".Length);
    }

    /// <summary>When the export's log says it read the page: the function's own timestamp.</summary>
    private static async Task<DateTimeOffset> PageReadAsync(FnProcess serve, int page)
    {
        var line = new Regex($@"\[Items\.Export\] (\S+)\t\S+\tINFO\tPage {page} read:");
        Assert.True(await serve.WaitForOutputAsync($"\tPage {page} read:", TimeSpan.FromSeconds(10)), serve.Output);
        return DateTimeOffset.Parse(line.Match(serve.Output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static HttpRequestMessage Signed()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/Items.Export/");
        foreach (var (name, value) in DummyApi.SigV4Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    private static long Rss(int processId) =>
        long.Parse(File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    [GeneratedRegex(@"DynamoDB: dynalite, in memory, at (http://[0-9.:]+)")]
    private static partial Regex DynaliteEndpoint();
}
