namespace Functions.Items;

/// <summary>What a client may set on an item (POST and PUT bodies), already validated.</summary>
public sealed record ItemInput(string Name, string? Description, decimal Price, IReadOnlyList<string> Tags) : IFromBody<ItemInput>
{
    /// <summary>A handler that takes an ItemInput gets the request's JSON body read and validated by <see cref="ItemInputReader"/>.</summary>
    public static ItemInput FromBody(ReadOnlyMemory<byte> json) => ItemInputReader.Read(json);

    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const int MaxPriceDecimals = 2;
}
