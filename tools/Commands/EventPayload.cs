using System.Text.Json;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Commands;

/// <summary>An event a verb was given: read and checked the one way every verb checks it, before anything starts.</summary>
public static class EventPayload
{
    public static async Task<byte[]> ReadFileAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.Exists)
        {
            throw new UsageError($"The event file {file.FullName} does not exist.");
        }
        return Checked(await File.ReadAllBytesAsync(file.FullName, cancellationToken));
    }

    /// <summary>The event as Lambda would take it: at most its size limit, and JSON.</summary>
    public static byte[] Checked(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > RuntimeApiServer.MaxEventBytes)
        {
            throw new UsageError($"The event is {body.Length} bytes; Lambda refuses it: {RuntimeApiServer.EventTooLarge}.");
        }
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            // The position only: the parser's own words name its internals, not the user's mistake.
            throw new UsageError($"The event is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        return body;
    }
}
