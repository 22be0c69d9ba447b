using System.Text;

namespace Functions.Tools.Bench;

/// <summary>The event each function is benchmarked with: its sample from events/ (Items.Get -> events/items-get.json), read once.</summary>
internal sealed class BenchEvents(Repository repository)
{
    private readonly Dictionary<string, byte[]> _events = new(StringComparer.Ordinal);

    public byte[] For(string function)
    {
        if (!_events.TryGetValue(function, out var payload))
        {
            var path = repository.SampleEvent(function);
            payload = File.Exists(path) ? Encoding.UTF8.GetBytes(File.ReadAllText(path))
                : throw new BenchException($"There is no sample event for {function}: expected {Path.GetRelativePath(repository.Root, path)}.");
            _events[function] = payload;
        }
        return payload;
    }
}
