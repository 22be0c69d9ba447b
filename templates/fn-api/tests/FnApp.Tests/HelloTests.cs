using FnApp.Lambdas;

namespace FnApp.Tests;

public sealed class HelloTests
{
    [Fact]
    public void Hello_answers_200_with_its_message()
    {
        var response = Hello.Get();

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("hello", response.Body, StringComparison.Ordinal);
    }
}
