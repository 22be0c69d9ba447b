using System.Text;
using Functions.Errors;
using Functions.Items;

namespace Functions.Tests.Items;

/// <summary>An item body read the way Items.Create and Items.Update read it, for the reader's tests.</summary>
internal static class ItemBodies
{
    public static ItemInput Read(string json) => ItemInputReader.Read(Encoding.UTF8.GetBytes(json));

    /// <summary>The 400 the body gets, with its errors by field.</summary>
    public static ApiError Refused(string json)
    {
        var error = Assert.Throws<ApiError>(() => Read(json));
        Assert.Equal(400, error.Status);
        Assert.NotNull(error.Errors);
        return error;
    }
}
