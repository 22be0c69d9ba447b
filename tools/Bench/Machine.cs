using System.Globalization;
using System.Runtime.InteropServices;

namespace Functions.Tools.Bench;

/// <summary>One line saying what the figures were measured on: a bench result means little without it.</summary>
public static class Machine
{
    /// <param name="functions">What the functions ran as, e.g. ".NET 10 (net10.0), x86_64" or "arm64 under qemu-aarch64 (emulated)".</param>
    public static string Describe(string functions)
    {
        var cpu = CpuModel();
        var memoryKib = Field("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var memory = long.TryParse(memoryKib, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib)
            ? string.Create(CultureInfo.InvariantCulture, $", {kib / 1048576.0:0.#} GiB") : "";
        return $"{cpu}, {Environment.ProcessorCount} cores{memory}, {RuntimeInformation.OSDescription}; functions: {functions}";
    }

    /// <summary>"AMD EPYC", from /proc/cpuinfo; the process's architecture where that is not there.</summary>
    public static string CpuModel() => Field("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string? Field(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        return File.ReadLines(file)
            .Where(line => line.StartsWith(name, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}
