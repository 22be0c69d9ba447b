using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Functions.Declarations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Functions.Generator;

/// <summary>From a method carrying [HttpApi] to its <see cref="HandlerModel"/>: the declaration (read by the shared reader) and how each parameter binds.</summary>
internal static class HandlerReader
{
    private const string Toolkit = "Functions";

    private static readonly Dictionary<SpecialType, string> Parsers = new()
    {
        [SpecialType.System_String] = "Text",
        [SpecialType.System_Int32] = "Int32",
        [SpecialType.System_Int64] = "Int64",
        [SpecialType.System_Boolean] = "Boolean",
    };

    public static HandlerModel Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        var location = DiagnosticLocation.From(syntax.Identifier.GetLocation());
        var name = $"{method.ContainingType.Name}.{method.Name}";

        var problems = new List<DeclarationProblem>();
        var declaration = DeclarationReader.Read(syntax, problems);
        diagnostics.AddRange(problems.Select(p => new DiagnosticInfo(p.Id, DiagnosticLocation.From(p.Location), new EquatableArray<string>(new[] { p.Message }))));

        var takesStream = method.Parameters.Any(p => p.Type.ToDisplayString() == StreamType);
        var streams = declaration?.Url?.Streams == true;
        var returnKind = streams || takesStream ? StreamReturnKind(method.ReturnType) : ReturnKind(method.ReturnType);
        if (streams || takesStream)
        {
            if (StreamShapeProblem(method, name, streams, takesStream, returnKind, declaration) is { } problem)
            {
                diagnostics.Add(new DiagnosticInfo("FN0011", location, new EquatableArray<string>(new[] { problem })));
            }
        }
        else if (!method.IsStatic || returnKind is null || method.ContainingType.IsGenericType || method.IsGenericMethod)
        {
            diagnostics.Add(new DiagnosticInfo("FN0006", location, new EquatableArray<string>(new[] { name })));
        }

        var routeParameters = declaration?.RouteParameters.ToList() ?? new List<string>();
        var parameters = new List<ParameterModel>();
        // Without a readable route the parameters cannot be judged: the declaration's own error says what to fix first.
        foreach (var parameter in declaration is null ? Enumerable.Empty<IParameterSymbol>() : method.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = Bind(parameter, routeParameters);
            if (model is null)
            {
                var where = parameter.Locations.FirstOrDefault() ?? syntax.Identifier.GetLocation();
                diagnostics.Add(new DiagnosticInfo("FN0002", DiagnosticLocation.From(where),
                    new EquatableArray<string>(new[] { name, parameter.Name, parameter.Type.ToDisplayString() })));
            }
            else
            {
                parameters.Add(model);
            }
        }
        if (declaration is not null)
        {
            foreach (var unbound in routeParameters.Where(r => !method.Parameters.Any(p => p.Name == r)))
            {
                diagnostics.Add(new DiagnosticInfo("FN0001", location, new EquatableArray<string>(new[] { declaration.Key, unbound, name })));
            }
        }

        return new HandlerModel(
            method.Name,
            method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            declaration?.Key ?? "",
            returnKind ?? "",
            new EquatableArray<ParameterModel>(parameters),
            new EquatableArray<DiagnosticInfo>(diagnostics),
            location);
    }

    private const string StreamType = "Functions.Http.HttpResponseStream";

    /// <summary>What is wrong with a streaming handler's shape, or null: it streams, takes the stream, returns a task, and has no [HttpApi].</summary>
    private static string? StreamShapeProblem(IMethodSymbol method, string name, bool streams, bool takesStream, string? returnKind, FunctionDeclaration? declaration)
    {
        if (!streams)
        {
            return $"{name} takes an HttpResponseStream, which only a function URL that streams gives: declare [FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)], or return HttpApiResponse";
        }
        if (declaration?.RouteKey is { } route)
        {
            return $"{name} streams its response, which HTTP API cannot pass on ({route} would answer 502): remove [HttpApi] and keep [FunctionUrl], or make the URL Buffered";
        }
        if (!takesStream || returnKind is null || !method.IsStatic || method.ContainingType.IsGenericType || method.IsGenericMethod)
        {
            return $"{name} streams its response ([FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]): it must be a static method of a type that is not generic, "
                + "take an HttpResponseStream to write to, and return Task or ValueTask";
        }
        return null;
    }

    /// <summary>"StreamTask" or "StreamValueTask" for a streaming handler's Task or ValueTask, else null.</summary>
    private static string? StreamReturnKind(ITypeSymbol type) => type.ToDisplayString() switch
    {
        "System.Threading.Tasks.Task" => "StreamTask",
        "System.Threading.Tasks.ValueTask" => "StreamValueTask",
        _ => null,
    };

    /// <summary>"Sync", "Task" or "ValueTask" when the handler returns a response that way, else null.</summary>
    private static string? ReturnKind(ITypeSymbol type)
    {
        if (IsResponse(type))
        {
            return "Sync";
        }
        if (type is INamedTypeSymbol { IsGenericType: true } generic && IsResponse(generic.TypeArguments[0]))
        {
            var definition = generic.ConstructedFrom.ToDisplayString();
            return definition switch
            {
                "System.Threading.Tasks.Task<TResult>" => "Task",
                "System.Threading.Tasks.ValueTask<TResult>" => "ValueTask",
                _ => null,
            };
        }
        return null;
    }

    private static bool IsResponse(ITypeSymbol type) => type.ToDisplayString() == "Functions.Http.HttpApiResponse";

    private static ParameterModel? Bind(IParameterSymbol parameter, IReadOnlyList<string> routeParameters)
    {
        var type = parameter.Type;
        var typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var display = type.ToDisplayString();
        ParameterModel Simple(BindingKind kind, string source, string parser, bool required) => new(parameter.Name, typeName, kind, source, parser, required);

        switch (display.TrimEnd('?'))
        {
            case "Functions.Http.HttpApiRequest":
                return Simple(BindingKind.Request, "", "", false);
            case "Functions.Runtime.InvocationContext":
                return Simple(BindingKind.Context, "", "", false);
            case "System.Threading.CancellationToken":
                return Simple(BindingKind.CancellationToken, "", "", false);
            case StreamType:
                return Simple(BindingKind.ResponseStream, "", "", false);
        }
        if (Implements(type, "IFunctionService"))
        {
            return Simple(BindingKind.Service, "", "", false);
        }
        if (IsAwsClient(type))
        {
            return Simple(BindingKind.AwsClient, "", "", false);
        }
        if (Implements(type, "IFromBody"))
        {
            return Simple(BindingKind.CustomBody, "", "", false);
        }

        var parser = SimpleParser(type, out var nullable);
        if (parser is null)
        {
            return null;
        }
        var required = !nullable;
        foreach (var attribute in parameter.GetAttributes())
        {
            var attributeName = attribute.AttributeClass?.ToDisplayString();
            var given = attribute.ConstructorArguments.FirstOrDefault().Value as string;
            if (attributeName == $"{Toolkit}.FromQueryAttribute")
            {
                return Simple(BindingKind.Query, given ?? parameter.Name, parser, required);
            }
            if (attributeName == $"{Toolkit}.FromHeaderAttribute")
            {
                return Simple(BindingKind.Header, given ?? parameter.Name, parser, required);
            }
        }
        return routeParameters.Contains(parameter.Name) ? Simple(BindingKind.Route, parameter.Name, parser, required) : null;
    }

    /// <summary>The Bind method that parses the type from text, and whether null is allowed (string? or int?).</summary>
    private static string? SimpleParser(ITypeSymbol type, out bool nullable)
    {
        nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
        {
            nullable = true;
            type = wrapper.TypeArguments[0];
        }
        if (Parsers.TryGetValue(type.SpecialType, out var parser))
        {
            return parser;
        }
        return type.ToDisplayString() == "System.Guid" ? "Guid" : null;
    }

    /// <summary>
    /// A concrete client of AWS's SDK for .NET (it derives from Amazon.Runtime.AmazonServiceClient): its parameterless
    /// constructor reads what Lambda gives a function (AWS_REGION, the role's credentials, AWS_ENDPOINT_URL_&lt;SERVICE&gt;).
    /// </summary>
    private static bool IsAwsClient(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { IsAbstract: false, TypeKind: TypeKind.Class } named
            || !named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            return false;
        }
        for (var current = named.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == "Amazon.Runtime.AmazonServiceClient")
            {
                return true;
            }
        }
        return false;
    }

    private static bool Implements(ITypeSymbol type, string name) =>
        type.AllInterfaces.Any(i => i.Name == name && i.ContainingNamespace?.ToDisplayString() == Toolkit && i.TypeArguments.Length == 1
            && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type));
}
