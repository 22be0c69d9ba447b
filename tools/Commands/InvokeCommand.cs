using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Functions.Tools.Instances;
using Functions.Tools.Local;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Template;

namespace Functions.Tools.Commands;

/// <summary>./fn invoke FUNCTION [--event FILE | --payload JSON | stdin] ...: one real invocation of the real bootstrap.</summary>
public static class InvokeCommand
{
    public static Command Create()
    {
        var function = new Argument<string>("FUNCTION") { Description = "The function to invoke: a folder name under lambdas/ (e.g. Items.Get)." };
        var eventFile = new Option<FileInfo>("--event", "-e") { Description = "A JSON file with the event (see events/)." };
        var payload = new Option<string>("--payload", "-p") { Description = "The event as inline JSON." };
        var mode = CommonOptions.Mode();
        var arch = CommonOptions.RunArch();
        var framework = CommonOptions.Framework();
        var cpu = CommonOptions.Cpu();
        var timeout = new Option<double?>("--timeout") { Description = "Seconds before the invocation is killed (default: the function's timeout in the template)." };
        var env = CommonOptions.Environment("K=V added to the function's environment (repeatable).");
        var inMemory = CommonOptions.InMemory();
        var dataDir = CommonOptions.DataDirectory();
        var endpoint = new Option<string>("--dynamodb-endpoint") { Description = "Use this DynamoDB-compatible endpoint instead of the embedded one." };
        var clientContext = new Option<string>("--client-context") { Description = "A client context JSON object, as mobile SDK callers send it: the function reads it from its invocation context." };
        var command = new Command("invoke", "Invoke a function locally with an event: the response on stdout; logs and START/END/REPORT on stderr. Exit 1 on a function error, crash or timeout.")
        {
            function, eventFile, payload, mode, arch, framework, cpu, timeout, env, inMemory, dataDir, endpoint, clientContext,
        };
        CommonOptions.AllowOneOf(command, eventFile, payload);
        CommonOptions.AllowOneOf(command, inMemory, dataDir);
        CommonOptions.Require(timeout, seconds => seconds is null or > 0, "--timeout must be a positive number of seconds.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = await ReadPayloadAsync(parse.GetValue(eventFile), parse.GetValue(payload), cancellationToken);
            var options = new LocalOptions(
                CommonOptions.ParseMode(parse.GetValue(mode)!),
                parse.GetValue(dataDir),
                parse.GetValue(inMemory),
                parse.GetValue(endpoint),
                CommonOptions.ParseEnvironment(parse.GetValue(env)))
            {
                Architecture = CommonOptions.ParseArch(parse.GetValue(arch)!),
                Framework = parse.GetValue(framework),
                Cpu = CommonOptions.ParseCpu(parse.GetValue(cpu)!),
            };
            var seconds = parse.GetValue(timeout);
            return await InvokeAsync(Repository.Locate(), parse.GetValue(function)!, body, options,
                seconds is { } s ? TimeSpan.FromSeconds(s) : null, new CallerContext(ClientContext: ReadClientContext(parse.GetValue(clientContext))), cancellationToken);
        });
        return command;
    }

    private static async Task<int> InvokeAsync(Repository repository, string name, byte[] payload, LocalOptions options, TimeSpan? timeout, CallerContext caller, CancellationToken cancellationToken)
    {
        var template = await new TemplateSource(repository).LoadAsync(cancellationToken);
        var function = template.Function(name)
            ?? throw new UsageError($"There is no function {name} in the CDK app. Functions: {string.Join(", ", template.Functions.Select(f => f.Name).Order(StringComparer.Ordinal))}.");
        await using var session = await LocalSession.StartAsync(repository, template, [function], options, cancellationToken);
        var spec = await session.PrepareAsync(function, timeout, cancellationToken);
        // Before START: whoever reads the REPORT line knows what shaped its figures.
        Console.Error.WriteLine(session.Limits.Describe(spec.MemoryMb));
        // The instance writes the function's lines and Lambda's START / END / REPORT to stderr, in Lambda's order.
        await using var instance = await FunctionInstance.StartAsync(spec, session.RuntimeApi, line => Console.Error.WriteLine(line));
        var report = await instance.InvokeAsync(payload, spec.Timeout, cancellationToken, caller);
        await Console.Out.WriteLineAsync(Invoke.StreamedPayload.Printable(report.Outcome));
        return report.Outcome.IsSuccess ? ExitCode.Success : ExitCode.Failure;
    }

    /// <summary>--client-context: a JSON object, as the Invoke API's X-Amz-Client-Context carries it (there base64).</summary>
    private static string? ReadClientContext(string? text)
    {
        try
        {
            return text is null ? null : ClientContextJson.FromJson(text);
        }
        catch (InvalidClientContextException e)
        {
            throw new UsageError($"--client-context: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadPayloadAsync(FileInfo? eventFile, string? inline, CancellationToken cancellationToken)
    {
        if (eventFile is not null)
        {
            return await EventPayload.ReadFileAsync(eventFile, cancellationToken);
        }
        if (inline is not null)
        {
            return EventPayload.Checked(Encoding.UTF8.GetBytes(inline));
        }
        if (Console.IsInputRedirected)
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellationToken);
            return EventPayload.Checked(buffer.ToArray());
        }
        throw new UsageError("No event: give --event FILE, --payload JSON, or pipe JSON on stdin.");
    }
}
