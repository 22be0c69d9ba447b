namespace Functions.Tools.ApiGateway;

/// <summary>What a route path segment matches. The numeric order is the specificity order: a higher value wins.</summary>
internal enum SegmentKind
{
    /// <summary>{name+}: one or more whole segments, only as the last segment.</summary>
    Greedy = 0,

    /// <summary>{name}: exactly one non-empty segment.</summary>
    Parameter = 1,

    /// <summary>Text that must equal the request's segment exactly (paths are case-sensitive).</summary>
    Literal = 2,
}

/// <summary>One segment of a route path: a literal's text or a parameter's name.</summary>
internal readonly record struct RouteSegment(SegmentKind Kind, string Text);
