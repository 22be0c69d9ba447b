using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;
using Functions.Declarations;

namespace Functions.Infra.Tests;

/// <summary>The route rules' methods are the CDK's: the stack turns each declared verb into an HttpMethod by name.</summary>
public sealed class RouteMethodsTests
{
    [Fact]
    public void Every_method_a_route_may_name_is_one_the_CDK_can_route()
    {
        Assert.Equal(Enum.GetNames<HttpMethod>().Order(StringComparer.Ordinal), RouteRules.Methods);
    }
}
