using Functions.Tools.Serve;

namespace Functions.Tests.Serve;

/// <summary>The banner's examples come from each function's own sample event, not from code that knows the app.</summary>
public sealed class ServeBannerTests
{
    private const string Address = "http://127.0.0.1:3000";

    private static readonly Repository Repository = Repository.Locate();

    [Fact]
    public void A_function_whose_event_has_a_JSON_body_gets_a_curl_that_posts_it()
    {
        var example = ServeBanner.Example(Repository, "Items.Create", Address);

        Assert.Equal(
            "curl -s -X POST http://127.0.0.1:3000/items -H 'content-type: application/json' "
            + "-d '{\"name\":\"Espresso cup\",\"description\":\"Stoneware, 90 ml, dishwasher safe\",\"price\":12.5,\"tags\":[\"kitchen\",\"ceramic\"]}'",
            example);
    }

    [Theory]
    [InlineData("Hello", "curl -s http://127.0.0.1:3000/hello")]
    [InlineData("Items.List", "curl -s 'http://127.0.0.1:3000/items?limit=10'")]
    public void A_GET_gets_its_path_and_query(string function, string expected)
    {
        Assert.Equal(expected, ServeBanner.Example(Repository, function, Address));
    }

    [Fact]
    public void A_function_without_a_sample_event_gets_no_example()
    {
        Assert.Null(ServeBanner.Example(Repository, "No.Such.Function", Address));
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("::", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.1.2.3", false)]
    [InlineData("::1", false)]
    [InlineData("localhost", false)]
    public void Serving_beyond_loopback_warns_that_the_API_is_open(string host, bool warns)
    {
        var warning = ServeBanner.NetworkWarning(host);

        Assert.Equal(warns, warning is not null);
        if (warning is not null)
        {
            Assert.Contains("no authentication", warning, StringComparison.Ordinal);
        }
    }
}
