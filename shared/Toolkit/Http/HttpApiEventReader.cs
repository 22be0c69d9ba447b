using System.Text.Json;

namespace Functions.Http;

/// <summary>
/// Reads a payload 2.0 event straight off a <see cref="Utf8JsonReader"/>, with the serializer's rules for
/// <see cref="HttpApiRequest"/> (camelCase names matched exactly, unknown members skipped, null leaves a reference
/// member null, a value of the wrong kind is an error). The serializer's first use costs a function ~2 ms of its first
/// invocation (measured on Hello: building the metadata of a dozen types, once per process), more than everything
/// else the invocation does; this reader touches a few pages of code and allocates only the request itself.
/// </summary>
public static class HttpApiEventReader
{
    /// <exception cref="JsonException">Not JSON, or not a payload 2.0 request; its Path, LineNumber and BytePositionInLine say where.</exception>
    public static HttpApiRequest? Read(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }
            var request = ReadRequest(ref reader);
            if (reader.Read())
            {
                throw Shape(ref reader, "$", "more JSON follows the event");
            }
            return request;
        }
        catch (ShapeException e)
        {
            // Where, as the serializer says it: the line (from 0) and the byte in it.
            var before = payload[..(int)Math.Min(e.Offset, payload.Length)];
            var line = before.Count((byte)'\n');
            var lineStart = before.LastIndexOf((byte)'\n') + 1;
            throw new JsonException(e.Message, e.Path, line, before.Length - lineStart);
        }
    }

    private static HttpApiRequest ReadRequest(ref Utf8JsonReader reader)
    {
        const string at = "$";
        var request = new HttpApiRequest();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            switch (name)
            {
                case "version": request.Version = String(ref reader, at, name); break;
                case "routeKey": request.RouteKey = String(ref reader, at, name); break;
                case "rawPath": request.RawPath = String(ref reader, at, name); break;
                case "rawQueryString": request.RawQueryString = String(ref reader, at, name); break;
                case "cookies": request.Cookies = Strings(ref reader, at, name); break;
                case "headers": request.Headers = Map(ref reader, at, name); break;
                case "queryStringParameters": request.QueryStringParameters = Map(ref reader, at, name); break;
                case "requestContext": request.RequestContext = Null(ref reader) ? null : ReadContext(ref reader); break;
                case "body": request.Body = String(ref reader, at, name); break;
                case "pathParameters": request.PathParameters = Map(ref reader, at, name); break;
                case "isBase64Encoded": request.IsBase64Encoded = Boolean(ref reader, at, name); break;
                case "stageVariables": request.StageVariables = Map(ref reader, at, name); break;
                default: reader.Skip(); break;
            }
        }
        return request;
    }

    private static HttpApiRequestContext ReadContext(ref Utf8JsonReader reader)
    {
        const string at = "$.requestContext";
        var context = new HttpApiRequestContext();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            switch (name)
            {
                case "accountId": context.AccountId = String(ref reader, at, name); break;
                case "apiId": context.ApiId = String(ref reader, at, name); break;
                case "authentication": context.Authentication = Null(ref reader) ? null : ReadAuthentication(ref reader); break;
                case "authorizer": context.Authorizer = Null(ref reader) ? null : ReadAuthorizer(ref reader); break;
                case "domainName": context.DomainName = String(ref reader, at, name); break;
                case "domainPrefix": context.DomainPrefix = String(ref reader, at, name); break;
                case "http": context.Http = Null(ref reader) ? null : ReadHttp(ref reader); break;
                case "requestId": context.RequestId = String(ref reader, at, name); break;
                case "routeKey": context.RouteKey = String(ref reader, at, name); break;
                case "stage": context.Stage = String(ref reader, at, name); break;
                case "time": context.Time = String(ref reader, at, name); break;
                case "timeEpoch": context.TimeEpoch = Int64(ref reader, at, name); break;
                default: reader.Skip(); break;
            }
        }
        return context;
    }

    private static HttpApiHttpDescription ReadHttp(ref Utf8JsonReader reader)
    {
        const string at = "$.requestContext.http";
        var http = new HttpApiHttpDescription();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            switch (name)
            {
                case "method": http.Method = String(ref reader, at, name); break;
                case "path": http.Path = String(ref reader, at, name); break;
                case "protocol": http.Protocol = String(ref reader, at, name); break;
                case "sourceIp": http.SourceIp = String(ref reader, at, name); break;
                case "userAgent": http.UserAgent = String(ref reader, at, name); break;
                default: reader.Skip(); break;
            }
        }
        return http;
    }

    private static HttpApiAuthentication ReadAuthentication(ref Utf8JsonReader reader)
    {
        const string at = "$.requestContext.authentication";
        var authentication = new HttpApiAuthentication();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            if (name == "clientCert")
            {
                authentication.ClientCert = Null(ref reader) ? null : ReadClientCert(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return authentication;
    }

    private static HttpApiClientCert ReadClientCert(ref Utf8JsonReader reader)
    {
        const string at = "$.requestContext.authentication.clientCert";
        var cert = new HttpApiClientCert();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            switch (name)
            {
                case "clientCertPem": cert.ClientCertPem = String(ref reader, at, name); break;
                case "subjectDN": cert.SubjectDN = String(ref reader, at, name); break;
                case "issuerDN": cert.IssuerDN = String(ref reader, at, name); break;
                case "serialNumber": cert.SerialNumber = String(ref reader, at, name); break;
                case "validity":
                    if (Null(ref reader))
                    {
                        cert.Validity = null;
                        break;
                    }
                    var validity = new HttpApiCertValidity();
                    Begin(ref reader, at + ".validity");
                    while (NextMember(ref reader, out var field))
                    {
                        switch (field)
                        {
                            case "notBefore": validity.NotBefore = String(ref reader, at + ".validity", field); break;
                            case "notAfter": validity.NotAfter = String(ref reader, at + ".validity", field); break;
                            default: reader.Skip(); break;
                        }
                    }
                    cert.Validity = validity;
                    break;
                default: reader.Skip(); break;
            }
        }
        return cert;
    }

    private static HttpApiAuthorizer ReadAuthorizer(ref Utf8JsonReader reader)
    {
        const string at = "$.requestContext.authorizer";
        var authorizer = new HttpApiAuthorizer();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            switch (name)
            {
                case "jwt":
                    if (Null(ref reader))
                    {
                        authorizer.Jwt = null;
                        break;
                    }
                    var jwt = new HttpApiJwtAuthorizer();
                    Begin(ref reader, at + ".jwt");
                    while (NextMember(ref reader, out var field))
                    {
                        switch (field)
                        {
                            case "claims": jwt.Claims = Map(ref reader, at + ".jwt", field); break;
                            case "scopes": jwt.Scopes = Strings(ref reader, at + ".jwt", field); break;
                            default: reader.Skip(); break;
                        }
                    }
                    authorizer.Jwt = jwt;
                    break;
                case "iam": authorizer.Iam = Null(ref reader) ? null : ReadIam(ref reader); break;
                case "lambda": authorizer.Lambda = Elements(ref reader, at, name); break;
                default: reader.Skip(); break;
            }
        }
        return authorizer;
    }

    private static HttpApiIamAuthorizer ReadIam(ref Utf8JsonReader reader)
    {
        const string at = "$.requestContext.authorizer.iam";
        var iam = new HttpApiIamAuthorizer();
        Begin(ref reader, at);
        while (NextMember(ref reader, out var name))
        {
            switch (name)
            {
                case "accessKey": iam.AccessKey = String(ref reader, at, name); break;
                case "accountId": iam.AccountId = String(ref reader, at, name); break;
                case "callerId": iam.CallerId = String(ref reader, at, name); break;
                case "cognitoIdentity": iam.CognitoIdentity = Null(ref reader) ? null : JsonElement.ParseValue(ref reader); break;
                case "principalOrgId": iam.PrincipalOrgId = String(ref reader, at, name); break;
                case "userArn": iam.UserArn = String(ref reader, at, name); break;
                case "userId": iam.UserId = String(ref reader, at, name); break;
                default: reader.Skip(); break;
            }
        }
        return iam;
    }

    /// <summary>The reader must be on an object's start; <paramref name="at"/> names the object in errors.</summary>
    private static void Begin(ref Utf8JsonReader reader, string at)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Shape(ref reader, at, "an object was expected");
        }
    }

    /// <summary>The next member's name, the reader left on its value; false at the object's end.</summary>
    private static bool NextMember(ref Utf8JsonReader reader, out string name)
    {
        if (Next(ref reader) == JsonTokenType.EndObject)
        {
            name = "";
            return false;
        }
        name = reader.GetString()!;
        Next(ref reader);
        return true;
    }

    private static bool Null(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null;

    private static string? String(ref Utf8JsonReader reader, string at, string name) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Shape(ref reader, $"{at}.{name}", "a string was expected"),
    };

    private static bool Boolean(ref Utf8JsonReader reader, string at, string name) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Shape(ref reader, $"{at}.{name}", "true or false was expected"),
    };

    private static long Int64(ref Utf8JsonReader reader, string at, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? value
            : throw Shape(ref reader, $"{at}.{name}", "a whole number was expected");

    private static List<string>? Strings(ref Utf8JsonReader reader, string at, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Shape(ref reader, $"{at}.{name}", "an array of strings was expected");
        }
        var list = new List<string>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            list.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Shape(ref reader, $"{at}.{name}", "an array of strings was expected"));
        }
        return list;
    }

    /// <summary>An object of strings: headers, parameters, claims. A null value stays null, as the serializer leaves it.</summary>
    private static Dictionary<string, string>? Map(ref Utf8JsonReader reader, string at, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Shape(ref reader, $"{at}.{name}", "an object of strings was expected");
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            Next(ref reader);
            map[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => null!,
                _ => throw Shape(ref reader, $"{at}.{name}.{key}", "a string was expected"),
            };
        }
        return map;
    }

    private static Dictionary<string, JsonElement>? Elements(ref Utf8JsonReader reader, string at, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Shape(ref reader, $"{at}.{name}", "an object was expected");
        }
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            Next(ref reader);
            map[key] = JsonElement.ParseValue(ref reader);
        }
        return map;
    }

    /// <summary>The next token; the reader itself throws on what is not JSON, including an end before the value does.</summary>
    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType;
    }

    private static ShapeException Shape(ref Utf8JsonReader reader, string path, string what) => new(what, path, reader.TokenStartIndex);

    /// <summary>Valid JSON of the wrong shape, where it was found; <see cref="Read"/> words it as the serializer would.</summary>
    private sealed class ShapeException(string message, string path, long offset) : Exception(message)
    {
        public string Path { get; } = path;
        public long Offset { get; } = offset;
    }
}
