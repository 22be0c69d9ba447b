using System.Diagnostics;
using System.IO.Compression;
using Functions.Build.Processes;

namespace Functions.Build;

/// <summary>
/// Publishes a function to artifacts/&lt;mode&gt;/&lt;rid&gt;/&lt;Function&gt;/ and zips it the way Lambda takes it:
/// `bootstrap` at the root with its exec bit set. Unchanged inputs skip the work.
/// </summary>
/// <param name="servers">Warm build servers to build with (./fn serve); null builds as the environment says.</param>
public sealed class FunctionBuilder(Repository repository, Toolchain? toolchain = null, BuildServers? servers = null)
{
    private const string StampFile = ".inputs.sha256";
    private const string BuildTimeFile = ".build-seconds";

    private static readonly Dictionary<string, string> QuietDotnet = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>What this machine can build; tests describe another machine with their own.</summary>
    private readonly Toolchain _toolchain = toolchain ?? Toolchain.Current;

    /// <summary>artifacts/&lt;mode&gt;/&lt;rid&gt;/&lt;Function&gt;/, or artifacts/&lt;mode&gt;-&lt;framework&gt;/... for a framework other than the default.</summary>
    public string OutputDirectory(BuildRequest request) =>
        Path.Combine(repository.Artifacts, request.Flavour, request.Architecture.RuntimeIdentifier, request.Function);

    /// <summary>The hash the build is skipped by, and the CDK asset hash of the function (one notion of what changed).</summary>
    public string InputsHash(BuildRequest request) => FunctionInputs.Hash(repository, request);

    /// <param name="building">Called when the build is not skipped, before the work starts: for progress.</param>
    /// <param name="zipped">
    /// Whether the zip Lambda takes is wanted too. ./fn serve runs the folder and skips it: zipping a JIT build's
    /// 80 MB costs seconds of every edit's rebuild. A later build that wants it zips the folder without publishing.
    /// </param>
    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default, Action? building = null, bool zipped = true)
    {
        var project = repository.ProjectFile(request.Function);
        if (!File.Exists(project))
        {
            throw new BuildException($"There is no function {request.Function}: expected {Path.GetRelativePath(repository.Root, project)}. Functions: {string.Join(", ", repository.FunctionNames())}.");
        }
        if (TargetFramework.Validate(request.Framework) is { } invalid)
        {
            throw new BuildException(invalid);
        }
        _toolchain.EnsureCanBuild(request);
        var output = OutputDirectory(request);
        var bootstrap = Path.Combine(output, "bootstrap");
        var zip = ZipPath(output, request.Function);
        var inputs = InputsHash(request);
        var upToDate = new BuildResult(request, output, bootstrap, zip, UpToDate: true, TimeSpan.Zero);
        if (IsPublished(output, inputs) && (!zipped || File.Exists(zip)))
        {
            return upToDate;
        }
        using var buildLock = await BuildLock.AcquireAsync(Path.Combine(repository.State, "build"), cancellationToken);
        // Another process (a cdk synth, a test run, serve --watch) may have built the same inputs while this one waited.
        if (IsPublished(output, inputs))
        {
            if (zipped && !File.Exists(zip))
            {
                WriteZip(output, zip);
            }
            return upToDate;
        }

        building?.Invoke();
        var watch = Stopwatch.StartNew();
        // Published beside the output and swapped in when complete: a server running the old binary (./fn serve
        // --watch) keeps starting instances from a whole folder while the new one builds.
        var staging = output + ".staging";
        var environment = QuietDotnet;
        if (servers is not null)
        {
            servers.NoteUsed();
            environment = new Dictionary<string, string>(QuietDotnet.Concat(servers.Environment), StringComparer.Ordinal);
        }
        var restore = new RestoreStamp(repository, request);
        var skipRestore = restore.IsCurrent;
        var publish = await PublishAsync(project, staging, request, environment, skipRestore, cancellationToken);
        if (skipRestore && publish.ExitCode != 0 && RestoreStamp.WasStale(publish.Output))
        {
            publish = await PublishAsync(project, staging, request, environment, skipRestore: false, cancellationToken);
        }
        if (publish.ExitCode != 0 || !File.Exists(Path.Combine(staging, "bootstrap")))
        {
            throw new BuildException($"dotnet publish of {request} failed:\n{PublishErrors.Explain(publish.Output)}");
        }
        restore.Record();
        await File.WriteAllTextAsync(Path.Combine(staging, StampFile), inputs, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(staging, BuildTimeFile), watch.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        SwapIn(staging, output);
        if (zipped)
        {
            WriteZip(output, zip);
        }
        else if (File.Exists(zip))
        {
            File.Delete(zip); // The previous build's: a zip is never older than its folder.
        }
        return new BuildResult(request, output, bootstrap, zip, UpToDate: false, watch.Elapsed);
    }

    /// <summary>dotnet publish into a fresh <paramref name="staging"/> folder, its restore skipped when it is current.</summary>
    private async Task<ProcessResult> PublishAsync(string project, string staging, BuildRequest request, IReadOnlyDictionary<string, string> environment, bool skipRestore, CancellationToken cancellationToken)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        string[] arguments =
        [
            "publish", project, "-o", staging,
            // One intermediate tree per mode and framework, so switching does not invalidate the others' incremental builds.
            "--artifacts-path", Path.Combine(repository.State, "build", request.Flavour),
            "--nologo", "-clp:NoSummary", .. request.PublishArguments, .. (skipRestore ? ["--no-restore"] : Array.Empty<string>()),
        ];
        return await ProcessRunner.RunAsync("dotnet", arguments, environment: environment, cancellationToken: cancellationToken);
    }

    /// <summary>Whether the folder holds a build of exactly these inputs (its zip aside).</summary>
    private static bool IsPublished(string output, string inputs)
    {
        var stamp = Path.Combine(output, StampFile);
        return File.Exists(Path.Combine(output, "bootstrap")) && File.Exists(stamp) && File.ReadAllText(stamp) == inputs;
    }

    /// <summary>How long the build that made this folder took (kept beside it, so a skipped build still knows).</summary>
    public static double? LastBuildSeconds(string output)
    {
        var file = Path.Combine(output, BuildTimeFile);
        return File.Exists(file) && double.TryParse(File.ReadAllText(file), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds : null;
    }

    private static string ZipPath(string output, string function) => Path.Combine(Path.GetDirectoryName(output)!, function + ".zip");

    /// <summary>
    /// Two renames instead of a copy. The previous folder is kept until the next build: instances started from it
    /// (ReadyToRun and JIT load assemblies lazily) go on finding their files.
    /// </summary>
    private static void SwapIn(string staging, string output)
    {
        var previous = output + ".previous";
        if (Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }
        if (Directory.Exists(output))
        {
            Directory.Move(output, previous);
        }
        Directory.Move(staging, output);
    }

    /// <summary>Everything Lambda needs from the folder, bootstrap executable at the root; debug symbols stay out.</summary>
    private static void WriteZip(string directory, string zipPath)
    {
        if (File.Exists(zipPath))
        {
            File.Delete(zipPath);
        }
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var file in PackagedFiles(directory))
        {
            var name = Path.GetRelativePath(directory, file).Replace('\\', '/');
            var entry = zip.CreateEntryFromFile(file, name, CompressionLevel.Optimal);
            // Unix mode in the high 16 bits: a regular file, rwxr-xr-x for bootstrap (Lambda execs it), rw-r--r-- otherwise.
            var mode = name == "bootstrap" || IsExecutable(file) ? Convert.ToInt32("100755", 8) : Convert.ToInt32("100644", 8);
            entry.ExternalAttributes = mode << 16;
        }
    }

    /// <summary>What Lambda gets of a build folder: everything but debug symbols and our own dot files (stamps).</summary>
    public static IEnumerable<string> PackagedFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".dbg", StringComparison.Ordinal) && !f.EndsWith(".pdb", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);

    private static bool IsExecutable(string file) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
}
