using System.CommandLine;

namespace Functions.Tools.Commands;

/// <summary>Options several verbs share, defined once so they read and validate the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Mode() => new Option<string>("--mode")
    {
        Description = "How to compile: aot (Native AOT, the default), r2r (self-contained ReadyToRun) or jit (self-contained JIT).",
        DefaultValueFactory = _ => "aot",
    }.AcceptOnlyFromAmong("aot", "r2r", "jit");

    public static Option<string> Arch(string defaultValue) => new Option<string>("--arch")
    {
        Description = $"Lambda architecture: x86_64 or arm64 (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
    }.AcceptOnlyFromAmong("x86_64", "arm64");

    /// <summary>--arch for the verbs that run functions here: the host's by default; another runs under its emulator.</summary>
    public static Option<string> RunArch()
    {
        var option = Arch(Architecture.HostOrX86_64.Name);
        option.Description = $"Architecture to build and run the functions for (default {Architecture.HostOrX86_64.Name}, this machine's); "
            + "another runs under qemu-user, much slower than native: use it to check behaviour, not speed.";
        return option;
    }

    /// <summary>--framework: the .NET the functions are compiled for.</summary>
    public static Option<string> Framework() => new Option<string>("--framework")
    {
        Description = "Target framework of the functions: net10.0 (the default, from Directory.Build.props) or net8.0 (x86_64 only, to compare).",
    }.AcceptOnlyFromAmong([.. TargetFramework.Supported]);

    /// <summary>How this run of the tool was asked for: "fn bench Hello --cold 5", its arguments quoted where a shell would need it.</summary>
    public static string CommandLine() =>
        string.Join(' ', ["fn", .. System.Environment.GetCommandLineArgs().Skip(1).Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_.,/=:@+".Contains(c)) ? a : $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'")]);

    /// <summary>--cpu lambda|host: the verbs that run functions here.</summary>
    public static Option<string> Cpu() => new Option<string>("--cpu")
    {
        Description = "lambda (the default): each instance in a cgroup of its own, CPU = memory size / 1,769 MB of a vCPU "
            + "after init and memory limited to the memory size, as on Lambda; host: the machine's CPU and memory, unshaped. "
            + "Where cgroups cannot be written (no root, no delegated cgroup v2 subtree) runs unshaped and says why.",
        DefaultValueFactory = _ => "lambda",
    }.AcceptOnlyFromAmong("lambda", "host");

    public static Limits.CpuMode ParseCpu(string text) => text == "host" ? Limits.CpuMode.Host : Limits.CpuMode.Lambda;

    public static Option<string> DataDirectory() =>
        new("--data-dir") { Description = "Where the embedded DynamoDB persists (default .fn/data)." };

    public static Option<bool> InMemory() =>
        new("--in-memory") { Description = "Keep the embedded DynamoDB in memory: every run starts empty." };

    /// <summary>Refuses a value outside what the option takes, with <paramref name="message"/> (bad usage, exit 2).</summary>
    public static void Require<T>(Option<T> option, Func<T, bool> isValid, string message) => option.Validators.Add(result =>
    {
        T value;
        try
        {
            value = result.GetValueOrDefault<T>();
        }
        // Text that is no T at all ("--cold abc"): the parser reports that itself, as bad usage; nothing to judge here.
        catch (InvalidOperationException)
        {
            return;
        }
        if (!isValid(value))
        {
            result.AddError(message);
        }
    });

    /// <summary>Refuses a command line that gives both options.</summary>
    public static void AllowOneOf(Command command, Option first, Option second) => command.Validators.Add(result =>
    {
        if (result.GetResult(first) is { Implicit: false } && result.GetResult(second) is { Implicit: false })
        {
            result.AddError($"Give either {first.Name} or {second.Name}, not both.");
        }
    });

    /// <summary>--env NAME=VALUE, repeatable: what a verb adds to the function's environment.</summary>
    public static Option<string[]> Environment(string description)
    {
        var option = new Option<string[]>("--env") { Description = description, AllowMultipleArgumentsPerToken = false };
        option.Validators.Add(result =>
        {
            foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!pair.Contains('=', StringComparison.Ordinal) || pair.StartsWith('='))
                {
                    result.AddError($"--env {pair}: expected NAME=VALUE.");
                }
            }
        });
        return option;
    }

    /// <summary>The --env pairs as variables; a repeated name takes its last value, as repeated shell assignments do.</summary>
    public static Dictionary<string, string> ParseEnvironment(string[]? pairs)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var parts = pair.Split('=', 2);
            variables[parts[0]] = parts[1];
        }
        return variables;
    }

    public static BuildMode ParseMode(string text) =>
        BuildModes.TryParse(text, out var mode) ? mode : throw new BuildException($"Unknown mode {text}: use aot, r2r or jit.");

    public static Architecture ParseArch(string text) =>
        Architecture.Parse(text) ?? throw new BuildException($"Unknown architecture {text}: use x86_64 or arm64.");

    /// <summary>A comma-separated option value, each item parsed; anything that does not parse is bad usage naming the option.</summary>
    public static List<T> ParseList<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
            return items.Count > 0 ? items : throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageError($"{option} {text}: expected a comma-separated list.");
        }
    }
}
