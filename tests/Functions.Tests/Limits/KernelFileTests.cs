using Functions.Tools.Limits;

namespace Functions.Tests.Limits;

/// <summary>A file read again from its start on every call: whole, however long, and its changes seen.</summary>
public sealed class KernelFileTests : IDisposable
{
    private readonly string _path = Path.Join(Path.GetTempPath(), $"fn-kernel-file-{Guid.NewGuid():N}");

    [Fact]
    public void Reads_a_file_longer_than_one_read_to_its_last_line()
    {
        // Arrange: the field past the first 4 KB read.
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat("Padding:\t0 kB\n", 1000)) + "VmHWM:\t  9216 kB\n");
        using var file = KernelFile.TryOpen(_path)!;

        // Act
        var peak = file.Field("VmHWM:"u8);

        // Assert
        Assert.Equal(9216, peak);
    }

    [Fact]
    public void Reads_the_file_anew_on_each_call()
    {
        // Arrange
        File.WriteAllText(_path, "123\n");
        using var file = KernelFile.TryOpen(_path)!;
        var first = file.Number();

        // Act
        File.WriteAllText(_path, "4567\n");

        // Assert
        Assert.Equal((123L, 4567L), (first, file.Number()));
    }

    [Fact]
    public void The_peak_of_this_process_is_read_from_procfs()
    {
        // Arrange
        using var status = KernelFile.TryOpen($"/proc/{Environment.ProcessId}/status")!;

        // Act
        var peakKib = status.Field("VmHWM:"u8);

        // Assert: at least what this process holds now.
        Assert.InRange(peakKib!.Value, Environment.WorkingSet / 1024 / 2, long.MaxValue);
    }

    public void Dispose() => File.Delete(_path);
}
