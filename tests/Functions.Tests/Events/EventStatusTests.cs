using System.Text.Json;
using Functions.Errors;
using Functions.Http;
using Functions.Items;
using Functions.Json;

namespace Functions.Tests.Events;

/// <summary>
/// Each event gets the status events/README.md names, wherever the status is decided before the table is read.
/// The checks below run in the order each lambdas/*/Program.cs runs them.
/// </summary>
public sealed class EventStatusTests
{
    /// <summary>The statuses the store can still give to a request that passed every check.</summary>
    private static readonly Dictionary<string, int[]> StoreStatuses = new(StringComparer.Ordinal)
    {
        ["Hello"] = [200],
        ["Items.Create"] = [201],
        ["Items.Get"] = [200, 404],
        ["Items.List"] = [200],
        ["Items.Update"] = [200, 404, 412],
        ["Items.Delete"] = [204, 404, 412],
        ["Items.Export"] = [200],
    };

    [Theory]
    [MemberData(nameof(SampleEvents.FileNames), MemberType = typeof(SampleEvents))]
    public void Every_event_gets_the_status_its_README_row_names(string file)
    {
        // Arrange
        var (function, status) = SampleEvents.Table()[file];
        var request = JsonSerializer.Deserialize(SampleEvents.Read(file), FunctionsJson.Wire.HttpApiRequest)!;

        // Act
        var refused = Refusal(function, request);

        // Assert
        if (refused is not null)
        {
            Assert.Equal(status, refused.Status);
        }
        else
        {
            // A function this table does not know (one ./fn new just made) answers its sample with what its README row says.
            Assert.Contains(status, StoreStatuses.GetValueOrDefault(function, [status]));
        }
    }

    [Fact]
    public void The_base64_event_carries_the_same_item_as_the_plain_one()
    {
        var plain = Input("items-create.json");
        var decoded = Input("items-create.base64.json");

        Assert.Equivalent(plain, decoded, strict: true);
    }

    private static ItemInput Input(string file) =>
        ItemInputReader.Read(RequestBody.ReadJson(JsonSerializer.Deserialize(SampleEvents.Read(file), FunctionsJson.Wire.HttpApiRequest)!));

    private static ApiError? Refusal(string function, HttpApiRequest request)
    {
        try
        {
            switch (function)
            {
                case "Items.Create":
                    ItemInputReader.Read(RequestBody.ReadJson(request));
                    break;
                case "Items.Get":
                    ItemRequests.Id(request);
                    break;
                case "Items.List":
                    ItemRequests.Limit(request);
                    ItemRequests.After(request);
                    break;
                case "Items.Update":
                    ItemRequests.Id(request);
                    ItemRequests.ExpectedVersions(request.Header("if-match"));
                    ItemInputReader.Read(RequestBody.ReadJson(request));
                    break;
                case "Items.Delete":
                    ItemRequests.Id(request);
                    ItemRequests.ExpectedVersions(request.Header("if-match"));
                    break;
            }
            return null;
        }
        catch (ApiError e)
        {
            return e;
        }
    }
}
