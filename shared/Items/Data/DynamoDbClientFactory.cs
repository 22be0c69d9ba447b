using Amazon;
using Amazon.DynamoDBv2;
using Functions.Runtime;

namespace Functions.Data;

/// <summary>The one DynamoDB client of a function, built at start-up and reused by every invocation.</summary>
public static class DynamoDbClientFactory
{
    private const string LocalRegion = "us-east-1";

    public static AmazonDynamoDBClient Create(LambdaEnvironment environment)
    {
        var config = new AmazonDynamoDBConfig();
        // AWS_ENDPOINT_URL_DYNAMODB first (the service-specific override), then AWS_ENDPOINT_URL, as the AWS SDKs rank them.
        var endpoint = environment.Get(LambdaEnvironment.DynamoDbEndpoint) ?? environment.Get(LambdaEnvironment.Endpoint);
        var region = environment.Get(LambdaEnvironment.Region);
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? LocalRegion;
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonDynamoDBClient(config);
    }
}
