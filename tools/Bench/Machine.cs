using System.Globalization;
using System.Runtime.InteropServices;

namespace Functions.Tools.Bench;

/// <summary>One line saying what the figures were measured on: a bench result means little without it.</summary>
public static class Machine
{
    /// <param name="functions">What the functions ran as, e.g. ".NET 10 (net10.0), x86_64" or "arm64 under qemu-aarch64 (emulated)".</param>
    public static string Describe(string functions)
    {
        var cpu = Field("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memoryKib = Field("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var memory = long.TryParse(memoryKib, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib)
            ? string.Create(CultureInfo.InvariantCulture, $", {kib / 1048576.0:0.#} GiB") : "";
        return $"{cpu}, {Environment.ProcessorCount} cores{memory}, {RuntimeInformation.OSDescription}; functions: {functions}";
    }

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
