using System.Diagnostics;
using System.IO.Compression;

namespace Functions.Tools.Building;

/// <summary>
/// Publishes a function to artifacts/&lt;mode&gt;/&lt;rid&gt;/&lt;Function&gt;/ and zips it the way Lambda takes it:
/// `bootstrap` at the root with its exec bit set. Unchanged inputs skip the work.
/// </summary>
public sealed class FunctionBuilder(Repository repository)
{
    private const string StampFile = ".inputs.sha256";

    public string OutputDirectory(string function, BuildMode mode, Architecture architecture) =>
        Path.Combine(repository.Artifacts, mode.Name(), architecture.RuntimeIdentifier, function);

    public async Task<BuildResult> BuildAsync(string function, BuildMode mode, Architecture architecture, CancellationToken cancellationToken = default)
    {
        var project = Path.Combine(repository.Lambdas, function, function + ".csproj");
        if (!File.Exists(project))
        {
            throw new BuildException($"There is no function {function}: expected {Path.GetRelativePath(repository.Root, project)}. Functions: {string.Join(", ", repository.FunctionNames())}.");
        }
        if (mode == BuildMode.Aot && architecture.WhyAotCannotBuild() is { } why)
        {
            throw new BuildException(why);
        }
        var output = OutputDirectory(function, mode, architecture);
        var bootstrap = Path.Combine(output, "bootstrap");
        var zip = Path.Combine(Path.GetDirectoryName(output)!, function + ".zip");
        var inputs = InputsHash.Compute(repository, function, mode.Name(), architecture.RuntimeIdentifier);
        var stamp = Path.Combine(output, StampFile);
        if (File.Exists(bootstrap) && File.Exists(zip) && File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == inputs)
        {
            return new BuildResult(function, mode, output, bootstrap, zip, UpToDate: true, TimeSpan.Zero);
        }

        var watch = Stopwatch.StartNew();
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
        string[] arguments =
        [
            "publish", project, "-c", "Release", "-r", architecture.RuntimeIdentifier, "-o", output,
            // One intermediate tree per mode, so switching modes does not invalidate the others' incremental builds.
            "--artifacts-path", Path.Combine(repository.State, "build", mode.Name()),
            "--nologo", "-clp:NoSummary", .. mode.PublishProperties(),
        ];
        var (exitCode, log) = await DotnetAsync(arguments, cancellationToken);
        if (exitCode != 0 || !File.Exists(bootstrap))
        {
            throw new BuildException($"dotnet publish of {function} ({mode.Name()}, {architecture.RuntimeIdentifier}) failed:\n{log}");
        }
        WriteZip(output, zip);
        await File.WriteAllTextAsync(stamp, inputs, cancellationToken);
        return new BuildResult(function, mode, output, bootstrap, zip, UpToDate: false, watch.Elapsed);
    }

    /// <summary>Everything Lambda needs from the folder, bootstrap executable at the root; debug symbols stay out.</summary>
    private static void WriteZip(string directory, string zipPath)
    {
        if (File.Exists(zipPath))
        {
            File.Delete(zipPath);
        }
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (name.EndsWith(".dbg", StringComparison.Ordinal) || name.EndsWith(".pdb", StringComparison.Ordinal) || name == StampFile)
            {
                continue;
            }
            var entry = zip.CreateEntryFromFile(file, name, CompressionLevel.Optimal);
            // Unix mode in the high 16 bits: a regular file, rwxr-xr-x for bootstrap (Lambda execs it), rw-r--r-- otherwise.
            var mode = name == "bootstrap" || IsExecutable(file) ? Convert.ToInt32("100755", 8) : Convert.ToInt32("100644", 8);
            entry.ExternalAttributes = mode << 16;
        }
    }

    private static bool IsExecutable(string file) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;

    private static async Task<(int ExitCode, string Log)> DotnetAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
