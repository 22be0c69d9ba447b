using System.Globalization;
using Functions.Http;
using Functions.Json;

namespace Functions.Items;

/// <summary>Item responses carry the version as a strong ETag, so clients can send it back in If-Match.</summary>
public static class ItemResults
{
    public static HttpApiResponse Ok(Item item) =>
        Results.Ok(item, ItemsJson.Wire.Item).WithHeader("etag", ETag(item));

    public static HttpApiResponse Created(Item item) =>
        Results.Json(201, item, ItemsJson.Wire.Item)
            .WithHeader("etag", ETag(item))
            .WithHeader("location", $"/items/{item.Id}");

    public static HttpApiResponse Page(ItemPage page) => Results.Ok(page, ItemsJson.Wire.ItemPage);

    public static string ETag(Item item) => $"\"{item.Version.ToString(CultureInfo.InvariantCulture)}\"";
}
