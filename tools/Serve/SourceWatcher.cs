using System.Threading.Channels;

namespace Functions.Tools.Serve;

/// <summary>
/// Watches the repository for source changes (./fn serve --watch) and reports them in batches: a save in an editor is
/// often several file events, and a rebuild per event would be wasted work. Build outputs and local state are ignored.
/// </summary>
public sealed class SourceWatcher : IDisposable
{
    /// <summary>
    /// How long the tree must be quiet before a batch is reported: an editor's save (a write, or a write and a rename)
    /// takes milliseconds, and every one of these is added to each edit's wait for its answer.
    /// </summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    /// <summary>Stands for "events were lost": rebuild and re-read everything.</summary>
    private const string Everything = "*";

    private static readonly HashSet<string> IgnoredFolders = new(StringComparer.Ordinal)
    {
        "bin", "obj", ".fn", "artifacts", "node_modules", "cdk.out", ".git", "tests",
    };

    private readonly Repository _repository;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>();

    /// <summary>
    /// Only what can change a function or the template is watched (lambdas/, shared/, infra/ and the root's build
    /// files), not node_modules or .git: inotify has a per-user limit of watched folders.
    /// </summary>
    public SourceWatcher(Repository repository)
    {
        _repository = repository;
        foreach (var folder in new[] { repository.Lambdas, repository.Shared, repository.Infra }.Where(Directory.Exists))
        {
            Watch(new FileSystemWatcher(folder) { IncludeSubdirectories = true });
        }
        Watch(new FileSystemWatcher(repository.Root) { IncludeSubdirectories = false });
    }

    private void Watch(FileSystemWatcher watcher)
    {
        watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;
        watcher.Changed += (_, e) => Record(e.FullPath);
        watcher.Created += (_, e) => Record(e.FullPath);
        watcher.Deleted += (_, e) => Record(e.FullPath);
        watcher.Renamed += (_, e) => Record(e.FullPath);
        // Events were lost (buffer overflow): treat it as a change to everything, so nothing stays stale.
        watcher.Error += (_, _) => _changes.Writer.TryWrite(Everything);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    /// <summary>The next batch of changed sources: waits for one change, then until the tree is quiet.</summary>
    public async Task<SourceChanges> NextAsync(CancellationToken cancellationToken)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal) { await _changes.Reader.ReadAsync(cancellationToken).ConfigureAwait(false) };
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(Quiet);
            try
            {
                paths.Add(await _changes.Reader.ReadAsync(quiet.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Classify(paths);
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }

    private void Record(string path)
    {
        var relative = Path.GetRelativePath(_repository.Root, path);
        if (relative.Split(Path.DirectorySeparatorChar).Any(IgnoredFolders.Contains))
        {
            return;
        }
        _changes.Writer.TryWrite(relative);
    }

    private static SourceChanges Classify(IReadOnlyCollection<string> paths) => new(
        Template: paths.Contains(Everything) || paths.Any(p => p.StartsWith("infra" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || p == "cdk.json"
            // A function's declaration lives in its source: a new function or a changed route may change the template.
            || (p.StartsWith("lambdas" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".csproj", StringComparison.Ordinal)))));
}

/// <summary>
/// A batch of changes, and whether the template may have changed (infra/, or a function's source, where its
/// declaration lives; the template source re-synthesizes only when the declarations did change). Function code needs
/// no flag: every refresh asks the builder, whose input hash skips the functions that did not change.
/// </summary>
public sealed record SourceChanges(bool Template);
