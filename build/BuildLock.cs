namespace Functions.Build;

/// <summary>
/// One publish at a time per repository, across processes: `./fn build`, the CDK app, `./fn serve --watch` and the test
/// projects (which dotnet test runs in parallel) share the intermediate folders (shared/ compiles into the same obj for
/// every function) and the artifacts, and a Native AOT link takes both cores anyway. An OS file lock: it is released
/// when the holder exits, however it exits.
/// </summary>
public sealed class BuildLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _file;

    private BuildLock(FileStream file) => _file = file;

    public static async Task<BuildLock> AcquireAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ".lock");
        while (true)
        {
            try
            {
                return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another build: wait for it, as cargo does ("Blocking waiting for file lock on build directory").
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
