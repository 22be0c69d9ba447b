using Functions.Declarations;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// Orders routes from most to least specific, the order <see cref="RouteTable"/> tries them in. The rule itself is
/// written down on <see cref="RouteTable"/>.
/// </summary>
internal sealed class RoutePriority : IComparer<RoutePattern>
{
    public static readonly RoutePriority Instance = new();

    public int Compare(RoutePattern? x, RoutePattern? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byTier = Tier(x).CompareTo(Tier(y));
        if (byTier != 0)
        {
            return byTier;
        }
        var count = Math.Min(x.Segments.Count, y.Segments.Count);
        for (var i = 0; i < count; i++)
        {
            // Higher kind (literal > {param} > {greedy+}) sorts first.
            var byKind = y.Segments[i].Kind.CompareTo(x.Segments[i].Kind);
            if (byKind != 0)
            {
                return byKind;
            }
        }
        // Two routes that agree so far cannot both match one path unless they have as many segments; ordering the
        // longer first only keeps the comparison a total order.
        var byLength = y.Segments.Count.CompareTo(x.Segments.Count);
        if (byLength != 0)
        {
            return byLength;
        }
        return IsAny(x).CompareTo(IsAny(y));
    }

    /// <summary>0: full match (literals and {params}); 1: ends in a greedy variable; 2: $default.</summary>
    private static int Tier(RoutePattern route) => route.IsDefault ? 2 : route.IsGreedy ? 1 : 0;

    private static bool IsAny(RoutePattern route) => route.Method == RouteRules.AnyMethod;
}
