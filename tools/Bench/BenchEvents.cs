using System.Text;

namespace Functions.Tools.Bench;

/// <summary>
/// The event each function is benchmarked with: its sample from events/ (Items.Get -> events/items-get.json), with the
/// sample id replaced by a seeded item's: the shared one for reads and updates, a fresh one for every delete.
/// </summary>
internal sealed class BenchEvents(Repository repository)
{
    private const string SampleId = "dGhpcyBpcyBhIHRlc3QhIQ";

    private readonly Dictionary<string, string> _templates = new(StringComparer.Ordinal);
    private readonly Queue<string> _deletable = new();
    private string _sharedId = SampleId;

    public string Template(string function)
    {
        if (!_templates.TryGetValue(function, out var text))
        {
            var path = repository.SampleEvent(function);
            text = File.Exists(path) ? File.ReadAllText(path)
                : throw new BenchException($"There is no sample event for {function}: expected {Path.GetRelativePath(repository.Root, path)}.");
            _templates[function] = text;
        }
        return text;
    }

    /// <summary>Whether the function's event names an item, which must then exist.</summary>
    public bool NeedsItem(string function) => Template(function).Contains(SampleId, StringComparison.Ordinal);

    public void UseIds(string shared, IEnumerable<string> deletable)
    {
        _sharedId = shared;
        foreach (var id in deletable)
        {
            _deletable.Enqueue(id);
        }
    }

    public byte[] Next(string function)
    {
        var text = Template(function);
        if (!NeedsItem(function))
        {
            return Encoding.UTF8.GetBytes(text);
        }
        var id = function == "Items.Delete"
            ? _deletable.TryDequeue(out var fresh) ? fresh : throw new BenchException("Ran out of seeded items to delete.")
            : _sharedId;
        return Encoding.UTF8.GetBytes(text.Replace(SampleId, id, StringComparison.Ordinal));
    }
}
