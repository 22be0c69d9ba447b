using System.Globalization;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Functions.Cdk;

namespace Functions.Infra;

/// <summary>The switches of the ItemsApi stack, read from CDK context (-c key=value, or "context" in cdk.json).</summary>
public sealed record ItemsApiSettings
{
    /// <summary>Every context key the stack reads, in one place.</summary>
    public static class Keys
    {
        /// <summary>arm64 (default) or x86_64: the Lambda architecture, and the RID the functions are published for.</summary>
        public const string Architecture = "arch";

        /// <summary>Memory of every function in MB (default 256).</summary>
        public const string Memory = "memory";

        /// <summary>Steady-state requests per second of the default stage (default 50).</summary>
        public const string ThrottlingRate = "throttlingRate";

        /// <summary>Burst of the default stage (default 100).</summary>
        public const string ThrottlingBurst = "throttlingBurst";

        /// <summary>true for a throw-away stack: the table and log groups are destroyed with it instead of retained.</summary>
        public const string Dev = "dev";

        /// <summary>The CloudFormation stack name (default ItemsApi), e.g. to deploy a dev copy beside the real one.</summary>
        public const string StackName = "stackName";

        /// <summary>Comma-separated origins allowed by CORS; CORS is off when absent.</summary>
        public const string CorsOrigins = "corsOrigins";

        /// <summary>false turns X-Ray active tracing off (it is on by default).</summary>
        public const string Tracing = "tracing";

        /// <summary>The JWT issuer's URL (https, the token's iss): with it, writes need a token.</summary>
        public const string JwtIssuer = "jwtIssuer";

        /// <summary>Comma-separated audiences a token's aud (or client_id) must name; required with jwtIssuer.</summary>
        public const string JwtAudience = "jwtAudience";
    }

    public const string DefaultStackName = "ItemsApi";

    public string StackName { get; init; } = DefaultStackName;

    public Architecture Architecture { get; init; } = Architecture.ARM_64;

    public int MemorySize { get; init; } = 256;

    public double ThrottlingRate { get; init; } = 50;

    public int ThrottlingBurst { get; init; } = 100;

    public bool Dev { get; init; }

    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    public bool Tracing { get; init; } = true;

    /// <summary>Null: no JWT authorizer, and writes without [Authorize] are open.</summary>
    public string? JwtIssuer { get; init; }

    public IReadOnlyList<string> JwtAudience { get; init; } = [];

    /// <summary>Settings from context; a value that cannot be read fails synth with a message naming the key.</summary>
    public static ItemsApiSettings FromContext(Node node)
    {
        var defaults = new ItemsApiSettings();
        var issuer = Read(node, Keys.JwtIssuer) is { Length: > 0 } issuerText ? issuerText : null;
        var audience = Read(node, Keys.JwtAudience)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (issuer is not null && !(Uri.TryCreate(issuer, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps))
        {
            throw Invalid(Keys.JwtIssuer, issuer, "the issuer's https URL, as its tokens' iss claim has it (HTTP API fetches its keys over HTTPS)");
        }
        if ((issuer is null) != (audience.Length == 0))
        {
            throw new SynthesisException(issuer is null
                ? $"Context {Keys.JwtAudience} is set without {Keys.JwtIssuer}: set both (e.g. -c {Keys.JwtIssuer}=https://cognito-idp.eu-west-1.amazonaws.com/POOL_ID -c {Keys.JwtAudience}=CLIENT_ID), or neither."
                : $"Context {Keys.JwtIssuer} is set without {Keys.JwtAudience}: HTTP API's JWT authorizer needs the audiences a token may name (e.g. -c {Keys.JwtAudience}=items-api).");
        }
        return new ItemsApiSettings
        {
            JwtIssuer = issuer,
            JwtAudience = audience,
            StackName = Read(node, Keys.StackName) ?? defaults.StackName,
            Architecture = Read(node, Keys.Architecture) switch
            {
                null => defaults.Architecture,
                "arm64" => Architecture.ARM_64,
                "x86_64" => Architecture.X86_64,
                var other => throw Invalid(Keys.Architecture, other, "arm64 or x86_64"),
            },
            MemorySize = ReadNumber(node, Keys.Memory, 128, 10240) is { } memory ? (int)memory : defaults.MemorySize,
            ThrottlingRate = ReadNumber(node, Keys.ThrottlingRate, 0, 10000) ?? defaults.ThrottlingRate,
            ThrottlingBurst = ReadNumber(node, Keys.ThrottlingBurst, 0, 5000) is { } burst ? (int)burst : defaults.ThrottlingBurst,
            Dev = Read(node, Keys.Dev) switch
            {
                null => defaults.Dev,
                var text when bool.TryParse(text, out var dev) => dev,
                var other => throw Invalid(Keys.Dev, other, "true or false"),
            },
            CorsOrigins = Read(node, Keys.CorsOrigins)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                ?? defaults.CorsOrigins,
            Tracing = Read(node, Keys.Tracing) switch
            {
                null => defaults.Tracing,
                var text when bool.TryParse(text, out var tracing) => tracing,
                var other => throw Invalid(Keys.Tracing, other, "true or false"),
            },
        };
    }

    /// <summary>A context value as text: -c gives strings, cdk.json may give numbers, booleans or a list.</summary>
    private static string? Read(Node node, string key) => node.TryGetContext(key) switch
    {
        null => null,
        string text => text,
        object[] list => string.Join(',', list.Select(item => Convert.ToString(item, CultureInfo.InvariantCulture))),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static double? ReadNumber(Node node, string key, double min, double max) => Read(node, key) switch
    {
        null => null,
        var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                      && number >= min && number <= max => number,
        var other => throw Invalid(key, other, $"a number from {min} to {max}"),
    };

    private static SynthesisException Invalid(string key, string value, string expected) =>
        new($"Context {key}={value} is not valid: expected {expected} (e.g. cdk synth -c {key}=...).");
}
