namespace Functions.Tools.ApiGateway;

/// <summary>The queryStringParameters of a payload 2.0 event, from the raw query string.</summary>
internal static class QueryParameters
{
    /// <summary>
    /// Names and values decoded; a repeated name's values joined with commas in order ("Duplicate query strings are
    /// combined with commas"); a name without '=' has an empty value. Empty pieces ("a=1&amp;&amp;b=2") are skipped.
    /// </summary>
    public static List<KeyValuePair<string, string>> Parse(string rawQueryString)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var piece in rawQueryString.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? piece : piece[..equals]);
            var value = equals < 0 ? "" : Decode(piece[(equals + 1)..]);
            if (name.Length == 0)
            {
                continue;
            }
            if (index.TryGetValue(name, out var at))
            {
                parameters[at] = new(name, parameters[at].Value + "," + value);
            }
            else
            {
                index[name] = parameters.Count;
                parameters.Add(new(name, value));
            }
        }
        return parameters;
    }

    /// <summary>
    /// Form decoding: in a query string '+' is a space (API Gateway turns ?q=a+b into "a b"); a real plus is "%2B".
    /// </summary>
    private static string Decode(string raw) => Uri.UnescapeDataString(raw.Replace('+', ' '));
}
