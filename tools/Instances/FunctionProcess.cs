using System.ComponentModel;
using Functions.Tools.Limits;

namespace Functions.Tools.Instances;

/// <summary>The process of one execution environment: the function's bootstrap, under its limits, in Lambda's environment.</summary>
internal static class FunctionProcess
{
    /// <summary>Starts it; a bootstrap (or emulator) that cannot be started is the user's to fix: not built, or qemu missing.</summary>
    public static ChildProcess Start(FunctionSpec spec, string runtimeApi, InstanceLimits limits, Action<string> onLine)
    {
        // No -L sysroot under an emulator: the target's glibc is installed as a foreign architecture (build/Toolchain.cs says why).
        var (program, arguments) = spec.Emulator is null ? (spec.Bootstrap, Array.Empty<string>()) : (spec.Emulator, [spec.Bootstrap]);
        var (fileName, argumentList) = limits.Wrap(program, arguments);
        var environment = new Dictionary<string, string>(LambdaVariables.For(spec, runtimeApi));
        foreach (var (key, value) in spec.Environment)
        {
            environment[key] = value;
        }
        try
        {
            return ChildProcess.Start(new ChildProcessStart(fileName, argumentList)
            {
                WorkingDirectory = Path.GetDirectoryName(spec.Bootstrap)!,
                // Lambda's environment is the function's whole world: start from an empty one, not the caller's.
                InheritEnvironment = false,
                Environment = environment,
                OnLine = onLine,
            });
        }
        catch (Win32Exception e)
        {
            throw new InstanceStartException(spec.Emulator is null
                ? $"Cannot start {spec.Bootstrap}: {e.Message}. Build it with {Repository.CommandHere} build {spec.Name}."
                : $"Cannot start {spec.Emulator} {spec.Bootstrap}: {e.Message}. Install qemu-user ({Repository.SetupHere ?? "sudo apt-get install qemu-user"}).", e);
        }
    }
}
