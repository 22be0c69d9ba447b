using System.Text.Json;
using System.Text.RegularExpressions;
using Functions.Tests.Functions;

namespace Functions.Tests.Cli;

/// <summary>./fn invoke end to end: template, build cache, embedded DynamoDB, the real bootstrap, Lambda's report lines.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed partial class InvokeCommandTests(BuiltFunctionsFixture functions)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task I_can_create_an_item_with_an_event_file_then_get_it_with_an_inline_payload()
    {
        _ = functions; // The fixture has built every function, so invoke finds them up to date.
        var data = Directory.CreateTempSubdirectory("fn-data-");
        try
        {
            var create = await FnCli.RunAsync(Patience, null, "invoke", "Items.Create", "--event", "events/items-create.json", "--data-dir", data.FullName);
            var created = JsonDocument.Parse(create.Stdout).RootElement;
            var id = JsonDocument.Parse(created.GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString()!;
            var getEvent = File.ReadAllText(Path.Combine(functions.Repository.Events, "items-get.json")).Replace("dGhpcyBpcyBhIHRlc3QhIQ", id, StringComparison.Ordinal);

            var get = await FnCli.RunAsync(Patience, null, "invoke", "Items.Get", "--payload", getEvent, "--data-dir", data.FullName);

            Assert.Equal(0, create.ExitCode);
            Assert.Equal(201, created.GetProperty("statusCode").GetInt32());
            Assert.Equal(0, get.ExitCode);
            var got = JsonDocument.Parse(get.Stdout).RootElement;
            Assert.Equal(200, got.GetProperty("statusCode").GetInt32());
            Assert.Equal(id, JsonDocument.Parse(got.GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString());
            Assert.Matches(ReportLine(), get.Stderr);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_event_can_come_on_stdin()
    {
        var hello = File.ReadAllText(Path.Combine(functions.Repository.Events, "hello.json"));

        var result = await FnCli.RunAsync(Patience, hello, "invoke", "Hello");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("hello", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("START RequestId: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("END RequestId: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_function_is_a_usage_error_that_lists_the_functions()
    {
        var result = await FnCli.RunAsync(Patience, null, "invoke", "Nope", "--payload", "{}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Items.Get", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_that_is_not_JSON_is_a_usage_error()
    {
        var result = await FnCli.RunAsync(Patience, null, "invoke", "Hello", "--payload", "{not json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not valid JSON", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_that_is_not_an_HTTP_event_is_a_function_error_with_exit_code_1()
    {
        var result = await FnCli.RunAsync(Patience, null, "invoke", "Hello", "--payload", "[1,2,3]");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("errorType", result.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: [1-9]\d* MB\tInit Duration: \d+\.\d{2} ms")]
    private static partial Regex ReportLine();
}
