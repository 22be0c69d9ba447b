using System.CommandLine;
using Functions.Tools.Building;

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

    public static BuildMode ParseMode(string text) =>
        BuildModes.TryParse(text, out var mode) ? mode : throw new BuildException($"Unknown mode {text}: use aot, r2r or jit.");

    public static Architecture ParseArch(string text) =>
        Architecture.Parse(text) ?? throw new BuildException($"Unknown architecture {text}: use x86_64 or arm64.");
}
