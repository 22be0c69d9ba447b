namespace Functions.Items;

/// <summary>
/// An item as stored and as returned. Version starts at 1 and grows by one on every write; ETag = "version".
/// CreatedBy and UpdatedBy are the callers' sub claims when a JWT authorizer vouched for them, else left out.
/// </summary>
public sealed record Item(
    string Id,
    string Name,
    string? Description,
    decimal Price,
    IReadOnlyList<string> Tags,
    string CreatedAt,
    string UpdatedAt,
    long Version,
    string? CreatedBy = null,
    string? UpdatedBy = null);
