using System.CommandLine;
using Functions.Tools.ApiGateway;
using Functions.Tools.Local;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Functions.Tools.Serve;
using Functions.Tools.WebConsole;

namespace Functions.Tools.Commands;

/// <summary>./fn serve: the whole HTTP API from the synthesized template, on real processes, until Ctrl-C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one).", DefaultValueFactory = _ => 3000 };
        var host = new Option<string>("--host") { Description = "Address to bind: 127.0.0.1 (the default) keeps the API on this machine.", DefaultValueFactory = _ => "127.0.0.1" };
        var mode = CommonOptions.Mode();
        var arch = CommonOptions.RunArch();
        var framework = CommonOptions.Framework();
        var cpu = CommonOptions.Cpu();
        var dataDir = CommonOptions.DataDirectory();
        var inMemory = CommonOptions.InMemory();
        var maxConcurrency = new Option<int>("--max-concurrency") { Description = "Instances per function before requests queue.", DefaultValueFactory = _ => PoolSettings.DefaultMaxConcurrency };
        var watch = new Option<bool>("--watch") { Description = "Rebuild a function when its sources change and re-read the template when infra/ changes." };
        var integrationTimeout = new Option<double>("--integration-timeout") { Description = "Seconds API Gateway waits for the function before 503 (API Gateway's limit: 30).", DefaultValueFactory = _ => GatewayLimits.IntegrationTimeout.TotalSeconds };
        var idleTimeout = new Option<double>("--idle-timeout") { Description = "Seconds an idle instance stays warm before it is retired.", DefaultValueFactory = _ => PoolSettings.DefaultIdleTimeout.TotalSeconds };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = $"Requests read, queued or running at once before the gateway answers 503 (bodies and events held are bounded too: {InFlightLimits.Default.MaxBytes / (1024 * 1024)} MiB).", DefaultValueFactory = _ => InFlightLimits.Default.MaxRequests };
        var jwks = new Option<string?>("--jwks") { Description = "Check tokens with a real issuer's keys: a JWKS file, or its URL (jwks_uri). Default: the dev issuer's key, whose tokens fn token mints." };
        var urlPort = new Option<int?>("--url-port") { Description = "Port of the function URLs, each under its function's name: http://127.0.0.1:3002/NAME/ (default: --port + 2; 0 picks a free one)." };
        var invokePort = new Option<int?>("--invoke-port") { Description = "Port of Lambda's Invoke API, for AWS SDKs and `aws lambda invoke --endpoint-url` (default: --port + 1, so 3001; 0 picks a free one)." };
        var streamBandwidth = new Option<string>("--stream-bandwidth")
        {
            Description = "host (the default): streamed responses reach the caller as fast as it reads; lambda: the first 6 MB so, "
                + "the rest at most 2 MB a second, as Lambda streams them, to see what a caller of a large stream waits for.",
            DefaultValueFactory = _ => "host",
        }.AcceptOnlyFromAmong("host", "lambda");
        var consolePort = new Option<int?>("--console-port") { Description = "Port of the console, a page to invoke functions with sample events and watch instances and traffic (default: --port + 3, so 3003; 0 picks a free one)." };
        var consoleHost = new Option<string>("--console-host") { Description = "Address the console binds: 127.0.0.1 (the default) keeps it on this machine whatever --host says.", DefaultValueFactory = _ => "127.0.0.1" };
        var noConsole = new Option<bool>("--no-console") { Description = "Serve no console." };
        var noBuildServers = new Option<bool>("--no-build-servers") { Description = "Build as the environment says, without keeping MSBuild and the compiler warm between builds." };
        var command = new Command("serve", "Serve the HTTP API from the CDK template like API Gateway and Lambda: routes, payload format 2.0, an instance pool per function, the embedded DynamoDB.")
        {
            port, host, mode, arch, framework, cpu, dataDir, inMemory, maxConcurrency, watch, integrationTimeout, idleTimeout, maxInFlight, invokePort, urlPort, consolePort, consoleHost, noConsole, streamBandwidth, jwks, noBuildServers,
        };
        CommonOptions.Require(port, p => p is >= 0 and <= 65535, "--port must be between 0 and 65535.");
        CommonOptions.Require(invokePort, p => p is null or (>= 0 and <= 65535), "--invoke-port must be between 0 and 65535.");
        CommonOptions.Require(urlPort, p => p is null or (>= 0 and <= 65535), "--url-port must be between 0 and 65535.");
        CommonOptions.Require(consolePort, p => p is null or (>= 0 and <= 65535), "--console-port must be between 0 and 65535.");
        CommonOptions.Require(consoleHost, h => string.Equals(h, "localhost", StringComparison.OrdinalIgnoreCase) || System.Net.IPAddress.TryParse(h, out _), "--console-host must be an IP address or localhost.");
        CommonOptions.Require(maxConcurrency, n => n >= 1, "--max-concurrency must be at least 1.");
        CommonOptions.Require(maxInFlight, n => n >= 1, "--max-in-flight must be at least 1.");
        CommonOptions.Require(integrationTimeout, s => s is > 0 and <= 3600, "--integration-timeout must be from 0 to 3600 seconds.");
        CommonOptions.Require(idleTimeout, s => s is > 0 and <= 86400, "--idle-timeout must be from 0 to 86400 seconds (a day).");
        CommonOptions.AllowOneOf(command, inMemory, dataDir);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions(
                parse.GetValue(host)!,
                parse.GetValue(port),
                new LocalOptions(CommonOptions.ParseMode(parse.GetValue(mode)!), parse.GetValue(dataDir), parse.GetValue(inMemory))
                {
                    Architecture = CommonOptions.ParseArch(parse.GetValue(arch)!),
                    Framework = parse.GetValue(framework),
                    Cpu = CommonOptions.ParseCpu(parse.GetValue(cpu)!),
                    StreamBandwidth = parse.GetValue(streamBandwidth) == "lambda" ? StreamBandwidth.Lambda : StreamBandwidth.Unlimited,
                },
                parse.GetValue(maxConcurrency),
                TimeSpan.FromSeconds(parse.GetValue(integrationTimeout)),
                TimeSpan.FromSeconds(parse.GetValue(idleTimeout)))
            {
                InFlight = InFlightLimits.Default with { MaxRequests = parse.GetValue(maxInFlight) },
                RequestedInvokePort = parse.GetValue(invokePort),
                RequestedUrlPort = parse.GetValue(urlPort),
                RequestedConsolePort = parse.GetValue(consolePort),
                ConsoleHost = parse.GetValue(consoleHost)!,
                Console = !parse.GetValue(noConsole),
                Jwks = parse.GetValue(jwks),
            };
            return await ServeAsync(Repository.Locate(), options, parse.GetValue(watch), !parse.GetValue(noBuildServers), cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// With every function built and nothing rebuilt, the build servers are not running yet: start them while serve is
    /// idle, so the first edit's rebuild is as quick as the next ones.
    /// </summary>
    private static async Task WarmAfterAsync(Task firstBuilds, BuildServers servers, Repository repository, ServeLog log, CancellationToken cancellationToken)
    {
        await firstBuilds.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!servers.Used && !cancellationToken.IsCancellationRequested && repository.FunctionNames().FirstOrDefault() is { } function)
        {
            await servers.WarmAsync(repository.ProjectFile(function), Path.Combine(repository.State, "build", "warm-up"), cancellationToken);
            log.Info("Build servers started: a change is rebuilt without starting MSBuild and the compiler again.");
        }
    }

    private static async Task<int> ServeAsync(Repository repository, ServeOptions options, bool watch, bool warmBuilds, CancellationToken cancellationToken)
    {
        await using var lines = new BatchedLines(Console.OpenStandardOutput());
        var traffic = options.Console ? new TrafficFeed() : null;
        var log = new ServeLog(lines) { Traffic = traffic };
        // serve builds one function after another and again after each edit: warm servers make each build after the first shorter.
        await using var buildServers = new BuildServers();
        options = options with { Local = options.Local with { BuildServers = warmBuilds ? buildServers : null, Zipped = false } };
        var server = await LocalServer.StartAsync(repository, options, log, cancellationToken);
        await using (server)
        {
            await using var console = traffic is null ? null
                : await ConsoleServer.StartAsync(options.ConsoleHost, options.ConsolePort, server, repository, traffic, cancellationToken);
            using var watcher = watch ? new SourceWatcher(repository) : null;
            ServeBanner.Write(log, server, options, watch, repository, console?.Address);
            var warming = watch && warmBuilds ? WarmAfterAsync(server.FirstBuilds, buildServers, repository, log, cancellationToken) : Task.CompletedTask;
            try
            {
                while (true)
                {
                    if (watcher is null)
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    else
                    {
                        await server.RefreshAsync(await watcher.NextAsync(cancellationToken), cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                log.Info("Stopping: instances, the emulator and DynamoDB" + (options.Local.InMemory ? "." : " (data kept)."));
            }
            await warming;
        }
        return ExitCode.Success;
    }
}
