using System.Diagnostics;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Functions.Infra.NativeAot;

/// <summary>
/// Bundles a function on the host with `dotnet publish` (Native AOT), no Docker: CDK calls <see cref="TryBundle"/> with
/// the asset's output folder, which receives only the executable `bootstrap` that provided.al2023 starts.
/// </summary>
internal sealed class NativeAotBundling : DeputyBase, ILocalBundling
{
    /// <summary>The publish arguments besides paths; part of the asset hash, so changing them rebuilds every function.</summary>
    public static readonly string[] PublishProperties = ["-c", "Release", "-p:PublishAot=true"];

    private const string Executable = "bootstrap";

    private readonly string _projectFile;
    private readonly LinuxTarget _target;
    private readonly string _buildFolder;

    /// <param name="projectFile">The function's .csproj.</param>
    /// <param name="target">The Linux to compile for.</param>
    /// <param name="buildFolder">
    /// Where MSBuild's obj/bin go (--artifacts-path): out of the source tree, so a synth never races an IDE's or `fn build`'s
    /// obj folders, and shared/ compiled for one function is reused by the next.
    /// </param>
    public NativeAotBundling(string projectFile, LinuxTarget target, string buildFolder)
    {
        _projectFile = projectFile;
        _target = target;
        _buildFolder = buildFolder;
    }

    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        var name = Path.GetFileNameWithoutExtension(_projectFile);
        var publishFolder = Path.Combine(_buildFolder, "publish", name, _target.Rid);
        if (Directory.Exists(publishFolder))
        {
            Directory.Delete(publishFolder, recursive: true);
        }

        Console.Error.WriteLine($"Publishing {name} for {_target.Rid} with Native AOT (about a minute and a half)...");
        var clock = Stopwatch.StartNew();
        Publish(publishFolder);

        var built = Path.Combine(publishFolder, Executable);
        if (!File.Exists(built))
        {
            throw new SynthesisException($"dotnet publish of {_projectFile} succeeded but left no {Executable} in {publishFolder}: is AssemblyName bootstrap?");
        }
        // Only the executable: the publish folder also holds bootstrap.dbg (stripped symbols), which Lambda does not need.
        var packaged = Path.Combine(outputDir, Executable);
        File.Copy(built, packaged, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(packaged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        Console.Error.WriteLine($"Published {name}: {Executable} {new FileInfo(packaged).Length / 1024.0 / 1024.0:0.0} MB in {clock.Elapsed.TotalSeconds:0} s");
        return true;
    }

    private void Publish(string publishFolder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["publish", _projectFile, "-r", _target.Rid, .. PublishProperties,
                     "--artifacts-path", _buildFolder, "-o", publishFolder, "--nologo", "-clp:ErrorsOnly;NoSummary"])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new SynthesisException("Cannot start dotnet: is the .NET SDK on PATH?");
        // Both streams are read concurrently: reading one to the end first can deadlock when the other fills its pipe.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // Throwing, not returning false: false would make CDK fall back to Docker bundling, which this construct never uses.
            throw new SynthesisException(
                $"dotnet publish {_projectFile} -r {_target.Rid} failed with exit code {process.ExitCode}:{System.Environment.NewLine}"
                + output.Result + errors.Result);
        }
    }
}
