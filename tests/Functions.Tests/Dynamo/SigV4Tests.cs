using System.Text;
using Functions.DynamoDb;

namespace Functions.Tests.Dynamo;

/// <summary>Our SigV4 against AWS's published Signature Version 4 test suite (get-vanilla, post-vanilla).</summary>
public sealed class SigV4Tests
{
    private static readonly AwsCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void A_vanilla_request_is_signed_as_the_suite_says(string method, string signature)
    {
        // Act
        var added = SigV4.Sign(method, "/", [new("Host", "example.amazonaws.com")], [], Example, "us-east-1", "service", SuiteTime);

        // Assert
        Assert.Equal("20150830T123600Z", Header(added, "X-Amz-Date"));
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
            Header(added, "Authorization"));
    }

    [Fact]
    public void A_session_token_is_sent_and_signed()
    {
        var withToken = Example with { SessionToken = "token" };

        var added = SigV4.Sign("POST", "/", [new("host", "dynamodb.eu-west-1.amazonaws.com")], Encoding.UTF8.GetBytes("{}"), withToken, "eu-west-1", "dynamodb", SuiteTime);

        Assert.Equal("token", Header(added, "X-Amz-Security-Token"));
        Assert.Contains("/20150830/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token,", Header(added, "Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_body_is_part_of_the_signature()
    {
        var one = SigV4.Sign("POST", "/", [new("host", "h")], "{\"a\":1}"u8, Example, "us-east-1", "dynamodb", SuiteTime);
        var other = SigV4.Sign("POST", "/", [new("host", "h")], "{\"a\":2}"u8, Example, "us-east-1", "dynamodb", SuiteTime);

        Assert.NotEqual(Header(one, "Authorization"), Header(other, "Authorization"));
    }

    [Fact]
    public void Credentials_never_print_their_secret()
    {
        Assert.DoesNotContain(Example.SecretAccessKey, Example.ToString(), StringComparison.Ordinal);
    }

    private static string Header(IReadOnlyList<KeyValuePair<string, string>> headers, string name) =>
        Assert.Single(headers, h => h.Key == name).Value;
}
