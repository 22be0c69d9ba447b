using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Functions.Tools.Local;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduler;
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
        var timeout = new Option<double?>("--timeout") { Description = "Seconds before the invocation is killed (default: the function's timeout in the template)." };
        var env = CommonOptions.Environment("K=V added to the function's environment (repeatable).");
        var inMemory = CommonOptions.InMemory();
        var dataDir = CommonOptions.DataDirectory();
        var endpoint = new Option<string>("--dynamodb-endpoint") { Description = "Use this DynamoDB-compatible endpoint instead of the embedded one." };
        var command = new Command("invoke", "Invoke a function locally with an event: the response on stdout; logs and START/END/REPORT on stderr. Exit 1 on a function error, crash or timeout.")
        {
            function, eventFile, payload, mode, arch, framework, timeout, env, inMemory, dataDir, endpoint,
        };
        CommonOptions.AllowOneOf(command, eventFile, payload);
        CommonOptions.AllowOneOf(command, inMemory, dataDir);
        CommonOptions.Require(timeout, seconds => seconds is null or > 0, "--timeout must be a positive number of seconds.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            byte[] body;
            try
            {
                body = await ReadPayloadAsync(parse.GetValue(eventFile), parse.GetValue(payload), cancellationToken);
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            var options = new LocalOptions(
                CommonOptions.ParseMode(parse.GetValue(mode)!),
                parse.GetValue(dataDir),
                parse.GetValue(inMemory),
                parse.GetValue(endpoint),
                CommonOptions.ParseEnvironment(parse.GetValue(env)))
            {
                Architecture = CommonOptions.ParseArch(parse.GetValue(arch)!),
                Framework = parse.GetValue(framework),
            };
            var seconds = parse.GetValue(timeout);
            return await InvokeAsync(Repository.Locate(), parse.GetValue(function)!, body, options,
                seconds is { } s ? TimeSpan.FromSeconds(s) : null, cancellationToken);
        });
        return command;
    }

    public static async Task<int> InvokeAsync(Repository repository, string name, byte[] payload, LocalOptions options, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        CdkTemplate template;
        try
        {
            template = await new TemplateSource(repository).LoadAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or BuildException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        var function = template.Function(name);
        if (function is null)
        {
            await Console.Error.WriteLineAsync($"There is no function {name} in the CDK app. Functions: {string.Join(", ", template.Functions.Select(f => f.Name).Order(StringComparer.Ordinal))}.");
            return 2;
        }
        try
        {
            await using var session = await LocalSession.StartAsync(repository, template, [function], options, cancellationToken);
            var spec = await session.PrepareAsync(function, timeout, cancellationToken);
            await using var instance = FunctionInstance.Start(spec, session.RuntimeApi, line => Console.Error.WriteLine(line));
            var report = await instance.InvokeAsync(payload, spec.Timeout, cancellationToken);
            await WriteAsync(report);
            return report.Outcome.IsSuccess ? 0 : 1;
        }
        catch (BuildException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    private static async Task WriteAsync(InvocationReport report)
    {
        var error = Console.Error;
        await error.WriteLineAsync(report.StartLine);
        if (report.PlatformErrorLine is { } platform)
        {
            // Lambda writes a timeout or a crash into the function's log stream, between START and END.
            await error.WriteLineAsync(platform);
        }
        await error.WriteLineAsync(report.EndLine);
        await error.WriteLineAsync(report.ReportLine);
        await Console.Out.WriteLineAsync(Encoding.UTF8.GetString(report.Outcome.Payload));
    }

    private static async Task<byte[]> ReadPayloadAsync(FileInfo? eventFile, string? inline, CancellationToken cancellationToken)
    {
        byte[] body;
        if (eventFile is not null)
        {
            if (!eventFile.Exists)
            {
                throw new UsageException($"The event file {eventFile.FullName} does not exist.");
            }
            body = await File.ReadAllBytesAsync(eventFile.FullName, cancellationToken);
        }
        else if (inline is not null)
        {
            body = Encoding.UTF8.GetBytes(inline);
        }
        else if (Console.IsInputRedirected)
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        else
        {
            throw new UsageException("No event: give --event FILE, --payload JSON, or pipe JSON on stdin.");
        }
        if (body.Length > RuntimeApiServer.MaxPayloadBytes)
        {
            throw new UsageException($"The event is {body.Length} bytes; Lambda accepts at most {RuntimeApiServer.MaxPayloadBytes} (6 MB).");
        }
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new UsageException($"The event is not valid JSON: {e.Message}");
        }
        return body;
    }

    private sealed class UsageException(string message) : Exception(message);
}
