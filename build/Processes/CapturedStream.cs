using System.Text;

namespace Functions.Build.Processes;

/// <summary>A child's output stream read to its end in the background, its text so far readable at any time.</summary>
internal sealed class CapturedStream
{
    private readonly StringBuilder _text = new();

    public CapturedStream(StreamReader reader) => Completion = ReadAsync(reader);

    /// <summary>Completes when the stream closed (every process holding it ended or closed it).</summary>
    public Task Completion { get; }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    private async Task ReadAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                lock (_text)
                {
                    _text.Append(buffer, 0, read);
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            // The process was disposed while a descendant still held the stream: the text so far is all there is.
        }
    }
}
