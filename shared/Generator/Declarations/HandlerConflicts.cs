using System.Collections.Generic;
using System.Linq;

namespace Functions.Declarations;

/// <summary>One handler too many: FN0003 (a route served twice) or FN0007 (a second handler in one function).</summary>
internal sealed class HandlerConflict
{
    public HandlerConflict(int index, string id, string message)
    {
        Index = index;
        Id = id;
        Message = message;
    }

    /// <summary>The handler, in the order given, that is one too many.</summary>
    public int Index { get; }

    public string Id { get; }

    public string Message { get; }
}

/// <summary>
/// Every route and verb has one handler, in its own function. The generator judges the handlers of one project, build/
/// those of the whole app (routes served twice across projects only it can see); both by the same rule, in the same words.
/// </summary>
internal static class HandlerConflicts
{
    /// <param name="handlers">Each handler's route key and who declares it (Type.Method, or a project).</param>
    /// <param name="oneFunction">They are one project's: more than one is FN0007 even on different routes.</param>
    public static IReadOnlyList<HandlerConflict> Find(IReadOnlyList<KeyValuePair<string, string>> handlers, bool oneFunction)
    {
        var conflicts = new List<HandlerConflict>();
        var first = new Dictionary<string, int>();
        for (var i = 0; i < handlers.Count; i++)
        {
            var identity = RouteRules.TryParseKey(handlers[i].Key, RouteStrictness.HttpApi, out var route, out _) ? route!.Identity : handlers[i].Key;
            if (first.TryGetValue(identity, out var earlier))
            {
                var keys = handlers[earlier].Key == handlers[i].Key ? handlers[i].Key : $"{handlers[earlier].Key} and {handlers[i].Key}";
                conflicts.Add(new HandlerConflict(i, "FN0003",
                    $"{keys} is served by both {handlers[earlier].Value} and {handlers[i].Value}: one route and verb has one handler, whatever its parameters are called"));
            }
            else
            {
                first.Add(identity, i);
            }
        }
        if (oneFunction && conflicts.Count == 0)
        {
            for (var i = 1; i < handlers.Count; i++)
            {
                conflicts.Add(new HandlerConflict(i, "FN0007",
                    $"{handlers[i].Value} ({handlers[i].Key}) is a second handler in this project (the first is {handlers[0].Value}, {handlers[0].Key}): "
                    + "every route and verb is its own function; move it to its own project (fn new)"));
            }
        }
        return conflicts;
    }
}
