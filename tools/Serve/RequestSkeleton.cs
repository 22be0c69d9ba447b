using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Declarations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Functions.Tools.Serve;

/// <summary>
/// What a handler takes from a request, each with an example value, read from the function's source as the CDK app
/// reads its declaration (no build): its path, query and header parameters by their types, and its JSON body as a
/// skeleton of its body type, every property under its JSON name with its type's empty value. The body type is the
/// parameter whose type declares itself <c>IFromBody</c> of itself, as the generator binds it, found in the function's
/// folder or under shared/. What the console's generated event starts from.
/// </summary>
internal sealed record RequestSkeleton(
    IReadOnlyDictionary<string, string> PathValues,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    JsonNode? Body)
{
    private const int MaxDepth = 4;

    public static readonly RequestSkeleton None = new(new Dictionary<string, string>(), [], [], null);

    /// <summary>The skeleton of the handler <paramref name="handler"/> (Type.Method) of a function; <see cref="None"/> when its source does not show it.</summary>
    public static RequestSkeleton Read(Repository repository, string function, string handler)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var types = TypesIn(repository, function);
        var (typeName, methodName) = (handler.Split('.')[0], handler.Split('.')[^1]);
        var method = types.OfType<TypeDeclarationSyntax>().Where(t => t.Identifier.ValueText == typeName)
            .SelectMany(t => t.Members.OfType<MethodDeclarationSyntax>())
            .FirstOrDefault(m => m.Identifier.ValueText == methodName);
        if (method is null)
        {
            return None;
        }
        var path = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = new List<KeyValuePair<string, string>>();
        var headers = new List<KeyValuePair<string, string>>();
        JsonNode? body = null;
        foreach (var parameter in method.ParameterList.Parameters)
        {
            if (parameter.Type is null)
            {
                continue;
            }
            var name = parameter.Identifier.ValueText;
            if (Binding(parameter, "FromQuery") is (true, var queryName))
            {
                query.Add(new(queryName ?? name, TextExample(parameter.Type)));
            }
            else if (Binding(parameter, "FromHeader") is (true, var headerName))
            {
                headers.Add(new((headerName ?? name).ToLowerInvariant(), TextExample(parameter.Type)));
            }
            else if (BodyType(types, parameter.Type) is { } bodyType)
            {
                body = Skeleton(types, bodyType, 0);
            }
            else
            {
                // Only the route's own parameters bind to the path; the caller keeps to those.
                path[name] = TextExample(parameter.Type);
            }
        }
        return new(path, query, headers, body);
    }

    /// <summary>The type declarations of the function's folder and of shared/, the code its build compiles.</summary>
    private static List<BaseTypeDeclarationSyntax> TypesIn(Repository repository, string function) =>
        [.. FunctionInputs.Files(repository, function)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal))
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(repository.Root, file))))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>())];

    /// <summary>Whether the parameter carries the attribute, and the name it gives (null: the parameter's own).</summary>
    private static (bool Found, string? Name) Binding(ParameterSyntax parameter, string attribute) =>
        DeclarationReader.Attributes(parameter.AttributeLists, attribute).FirstOrDefault() is { } found ? (true, FirstString(found)) : (false, null);

    private static string? FirstString(AttributeSyntax attribute) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.Value: string text } ? text : null;

    /// <summary>The declaration of a type that reads itself from a JSON body: <c>record T(...) : IFromBody&lt;T&gt;</c>.</summary>
    private static TypeDeclarationSyntax? BodyType(List<BaseTypeDeclarationSyntax> types, TypeSyntax type)
    {
        var name = SimpleName(type);
        return types.OfType<TypeDeclarationSyntax>().FirstOrDefault(t => t.Identifier.ValueText == name
            && t.BaseList?.Types.Any(b => (b.Type is QualifiedNameSyntax q ? q.Right : b.Type) is GenericNameSyntax { Identifier.ValueText: "IFromBody" } g
                && g.TypeArgumentList.Arguments.Count == 1 && SimpleName(g.TypeArgumentList.Arguments[0]) == name) == true);
    }

    /// <summary>Each property under its JSON name: the record's parameters, then public properties with a setter or init.</summary>
    private static JsonObject Skeleton(List<BaseTypeDeclarationSyntax> types, TypeDeclarationSyntax type, int depth)
    {
        var skeleton = new JsonObject();
        foreach (var parameter in type.ParameterList?.Parameters ?? default)
        {
            if (parameter.Type is not null)
            {
                skeleton[JsonName(parameter.AttributeLists, parameter.Identifier.ValueText)] = Example(types, parameter.Type, depth);
            }
        }
        foreach (var property in type.Members.OfType<PropertyDeclarationSyntax>())
        {
            var settable = property.AccessorList?.Accessors.Any(a => a.Keyword.ValueText is "set" or "init") == true;
            if (settable && property.Modifiers.Any(SyntaxKind.PublicKeyword) && !property.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                skeleton[JsonName(property.AttributeLists, property.Identifier.ValueText)] = Example(types, property.Type, depth);
            }
        }
        return skeleton;
    }

    /// <summary>[JsonPropertyName("x")] where given, else camelCase: System.Text.Json's web default.</summary>
    private static string JsonName(SyntaxList<AttributeListSyntax> attributes, string name) =>
        DeclarationReader.Attributes(attributes, "JsonPropertyName").Select(FirstString).FirstOrDefault(text => text is not null)
            ?? JsonNamingPolicy.CamelCase.ConvertName(name);

    private static readonly HashSet<string> Lists = ["List", "IList", "IReadOnlyList", "IEnumerable", "ICollection", "IReadOnlyCollection", "HashSet", "ISet", "IReadOnlySet", "ImmutableArray", "ImmutableList"];
    private static readonly HashSet<string> Maps = ["Dictionary", "IDictionary", "IReadOnlyDictionary", "ImmutableDictionary"];

    /// <summary>A JSON value of the type's shape: "" for text, 0, false, a list of one element, null where null is allowed.</summary>
    private static JsonNode? Example(List<BaseTypeDeclarationSyntax> types, TypeSyntax type, int depth)
    {
        switch (type)
        {
            case NullableTypeSyntax:
                return null;
            case ArrayTypeSyntax array:
                return new JsonArray(Example(types, array.ElementType, depth));
            case PredefinedTypeSyntax predefined:
                return predefined.Keyword.ValueText switch
                {
                    "string" or "char" => "",
                    "bool" => false,
                    "object" => null,
                    _ => 0,
                };
            case GenericNameSyntax generic when Lists.Contains(generic.Identifier.ValueText) && generic.TypeArgumentList.Arguments.Count == 1:
                return new JsonArray(Example(types, generic.TypeArgumentList.Arguments[0], depth));
            case GenericNameSyntax generic when Maps.Contains(generic.Identifier.ValueText):
                return new JsonObject();
        }
        var name = SimpleName(type);
        if (WellKnown(name) is { } known)
        {
            return known;
        }
        return types.FirstOrDefault(t => t.Identifier.ValueText == name) switch
        {
            EnumDeclarationSyntax declared => declared.Members.FirstOrDefault()?.Identifier.ValueText,
            TypeDeclarationSyntax declared when depth < MaxDepth => Skeleton(types, declared, depth + 1),
            _ => null,
        };
    }

    private static JsonNode? WellKnown(string name) => name switch
    {
        "String" or "Char" => "",
        "Boolean" => false,
        "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" or "Decimal" or "Double" or "Single" => 0,
        "Guid" => Guid.Empty.ToString(),
        "DateTime" or "DateTimeOffset" => "2000-01-01T00:00:00Z",
        "DateOnly" => "2000-01-01",
        "TimeOnly" or "TimeSpan" => "00:00:00",
        "Uri" => "https://example.com/",
        _ => null,
    };

    /// <summary>A path, query or header value the parameter's parser takes: "example" for text, else its type's zero.</summary>
    private static string TextExample(TypeSyntax type)
    {
        var inner = type is NullableTypeSyntax nullable ? nullable.ElementType : type;
        var name = inner is PredefinedTypeSyntax predefined ? predefined.Keyword.ValueText : SimpleName(inner);
        return name switch
        {
            "string" or "String" => "example",
            "bool" or "Boolean" => "false",
            _ => WellKnown(name)?.ToJsonString().Trim('"') ?? 0.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string SimpleName(SyntaxNode type) => type switch
    {
        NullableTypeSyntax nullable => SimpleName(nullable.ElementType),
        NameSyntax name => DeclarationReader.ShortName(name),
        _ => type.ToString(),
    };
}
