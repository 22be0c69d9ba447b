using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Functions.Declarations;

/// <summary>A mistake in a declaration: what is wrong, where, and the diagnostic id the generator reports it with.</summary>
internal sealed class DeclarationProblem
{
    public DeclarationProblem(string id, string message, Location location)
    {
        Id = id;
        Message = message;
        Location = location;
    }

    public string Id { get; }

    public string Message { get; }

    public Location Location { get; }

    public override string ToString()
    {
        var span = Location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1}): {Id}: {Message}";
    }
}

/// <summary>
/// Reads declarations from C# syntax alone: the attribute arguments are literals, so the CDK app can read a function's
/// route, tables and settings from its source without building it (cheap, and possible when bundling is skipped),
/// and the generator reads them with the same code. Why source and not a manifest the build emits: `cdk synth` with
/// bundling off (the tests, the local runner's template) must still know every route, and a build per function per
/// synth would cost minutes.
/// </summary>
internal static class DeclarationReader
{
    public const string HttpApi = "HttpApi";
    public const string FunctionUrl = "FunctionUrl";
    public const string UsesTable = "UsesTable";
    public const string FunctionSettings = "FunctionSettings";
    public const string EnvironmentVariable = "EnvironmentVariable";
    public const string Authorize = "Authorize";
    public const string AllowAnonymous = "AllowAnonymous";
    public const string DefaultTableVariable = "TABLE_NAME";

    /// <summary>Every handler declared in the files, and every mistake found reading them.</summary>
    public static (IReadOnlyList<FunctionDeclaration> Declarations, IReadOnlyList<DeclarationProblem> Problems) Read(IEnumerable<SyntaxTree> trees)
    {
        var declarations = new List<FunctionDeclaration>();
        var problems = new List<DeclarationProblem>();
        foreach (var tree in trees)
        {
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (IsHandler(method))
                {
                    var declaration = Read(method, problems);
                    if (declaration is not null)
                    {
                        declarations.Add(declaration);
                    }
                }
            }
        }
        return (declarations, problems);
    }

    /// <summary>A handler: a method with [HttpApi], [FunctionUrl], or both.</summary>
    public static bool IsHandler(MethodDeclarationSyntax method) => Attributes(method, HttpApi).Any() || Attributes(method, FunctionUrl).Any();

    /// <summary>The declaration on one handler (see <see cref="IsHandler"/>), or null when it has mistakes (added to <paramref name="problems"/>).</summary>
    public static FunctionDeclaration? Read(MethodDeclarationSyntax method, List<DeclarationProblem> problems)
    {
        var before = problems.Count;
        var routes = Attributes(method, HttpApi).ToList();
        if (routes.Count > 1)
        {
            problems.Add(new("FN0003", $"{Name(method)} has {routes.Count} [HttpApi] attributes: a function serves one route and verb", routes[1].GetLocation()));
        }
        string? verb = null;
        string? path = null;
        if (routes.Count > 0)
        {
            var route = routes[0];
            verb = StringArgument(route, 0, "method", problems)?.ToUpperInvariant() ?? "";
            path = StringArgument(route, 1, "path", problems) ?? "";
            if (problems.Count == before && !RouteRules.TryParse(verb, path, RouteStrictness.Handler, out _, out var malformed))
            {
                problems.Add(new("FN0004", $"Malformed route on {Name(method)}: {malformed}", route.GetLocation()));
            }
        }
        var url = ReadUrl(method, problems);

        var tables = new List<TableUse>();
        foreach (var use in Attributes(method, UsesTable))
        {
            var table = StringArgument(use, 0, "table", problems);
            var access = AccessArgument(use, problems);
            var variable = Named(use, "EnvironmentVariable") is { } named ? Literal<string>(named.Expression, "EnvironmentVariable", problems) : DefaultTableVariable;
            if (table is not null && access is not null && variable is not null)
            {
                tables.Add(new TableUse(table, TableActions.For(access), variable));
            }
        }
        if (tables.GroupBy(t => t.Variable).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            problems.Add(new("FN0008", $"{Name(method)} names two tables with the variable {clash.Key}: give each [UsesTable] its own EnvironmentVariable", method.Identifier.GetLocation()));
        }

        int? memory = null;
        int? timeout = null;
        foreach (var settings in Attributes(method, FunctionSettings))
        {
            memory = Named(settings, "MemoryMb") is { } m ? Literal<int>(m.Expression, "MemoryMb", problems) : memory;
            timeout = Named(settings, "TimeoutSeconds") is { } t ? Literal<int>(t.Expression, "TimeoutSeconds", problems) : timeout;
            if (memory is < 128 or > 10240)
            {
                problems.Add(new("FN0009", $"MemoryMb {memory} on {Name(method)} is outside Lambda's 128 to 10240 MB", settings.GetLocation()));
            }
            if (timeout is < 1 or > 900)
            {
                problems.Add(new("FN0009", $"TimeoutSeconds {timeout} on {Name(method)} is outside Lambda's 1 to 900 seconds", settings.GetLocation()));
            }
        }

        var environment = new List<KeyValuePair<string, string>>();
        foreach (var variable in Attributes(method, EnvironmentVariable))
        {
            var key = StringArgument(variable, 0, "name", problems);
            var value = StringArgument(variable, 1, "value", problems);
            if (key is not null && value is not null)
            {
                environment.Add(new KeyValuePair<string, string>(key, value));
            }
        }

        var routeAccess = ReadAccess(method, problems);

        if (problems.Count > before)
        {
            return null;
        }
        return new FunctionDeclaration(Name(method), verb, path, tables, memory, timeout, environment) { Access = routeAccess, Url = url };
    }

    /// <summary>[FunctionUrl(Auth = FunctionUrlAuth.None, InvokeMode = FunctionUrlInvokeMode.ResponseStream)] in CloudFormation's words, or null.</summary>
    private static FunctionUrlDeclaration? ReadUrl(MethodDeclarationSyntax method, List<DeclarationProblem> problems)
    {
        if (Attributes(method, FunctionUrl).FirstOrDefault() is not { } url)
        {
            return null;
        }
        var auth = Named(url, "Auth") is { } a ? EnumMember(a.Expression, "FunctionUrlAuth", "Auth", problems) : "AwsIam";
        var mode = Named(url, "InvokeMode") is { } m ? EnumMember(m.Expression, "FunctionUrlInvokeMode", "InvokeMode", problems) : "Buffered";
        var authType = auth switch { "AwsIam" => "AWS_IAM", "None" => "NONE", _ => null };
        var invokeMode = mode switch { "Buffered" => "BUFFERED", "ResponseStream" => "RESPONSE_STREAM", _ => null };
        if (auth is not null && authType is null)
        {
            problems.Add(new("FN0005", $"[FunctionUrl] on {Name(method)}: Auth is FunctionUrlAuth.AwsIam or FunctionUrlAuth.None, not {auth}", url.GetLocation()));
        }
        if (mode is not null && invokeMode is null)
        {
            problems.Add(new("FN0005", $"[FunctionUrl] on {Name(method)}: InvokeMode is FunctionUrlInvokeMode.Buffered or FunctionUrlInvokeMode.ResponseStream, not {mode}", url.GetLocation()));
        }
        return authType is null || invokeMode is null ? null : new FunctionUrlDeclaration(authType, invokeMode);
    }

    /// <summary>The member name of Type.Member (FunctionUrlAuth.None -> None), as the CDK app reads it without compiling.</summary>
    private static string? EnumMember(ExpressionSyntax expression, string type, string what, List<DeclarationProblem> problems)
    {
        if (expression is MemberAccessExpressionSyntax member && ShortName(member.Expression as NameSyntax ?? SyntaxFactory.IdentifierName("?")) == type)
        {
            return member.Name.Identifier.ValueText;
        }
        problems.Add(new("FN0005", $"{what} must be written as {type}.Member (the CDK app reads it from the source), not '{expression}'", expression.GetLocation()));
        return null;
    }

    /// <summary>[Authorize("scope", ...)] or [AllowAnonymous], or neither (the stack's default for the verb).</summary>
    private static RouteAccess ReadAccess(MethodDeclarationSyntax method, List<DeclarationProblem> problems)
    {
        var authorize = Attributes(method, Authorize).FirstOrDefault();
        var anonymous = Attributes(method, AllowAnonymous).FirstOrDefault();
        if (authorize is not null && anonymous is not null)
        {
            problems.Add(new("FN0010", $"{Name(method)} is both [Authorize] and [AllowAnonymous]: keep the one you mean", anonymous.GetLocation()));
            return RouteAccess.Default;
        }
        if (anonymous is not null)
        {
            return RouteAccess.Anonymous;
        }
        if (authorize is null)
        {
            return RouteAccess.Default;
        }
        var scopes = new List<string>();
        foreach (var argument in Positional(authorize))
        {
            if (Literal<string>(argument.Expression, "scope", problems) is { } scope)
            {
                if (RouteRules.CheckScope(scope) is { } badScope)
                {
                    problems.Add(new("FN0010", $"[Authorize] on {Name(method)}: {badScope}", argument.GetLocation()));
                }
                else
                {
                    scopes.Add(scope);
                }
            }
        }
        return RouteAccess.Token(scopes);
    }

    /// <summary>Attributes by their short name, with or without the Attribute suffix, however qualified.</summary>
    public static IEnumerable<AttributeSyntax> Attributes(MemberDeclarationSyntax member, string name) => Attributes(member.AttributeLists, name);

    /// <summary>As above, for what is not a member: a parameter's or a record parameter's attributes.</summary>
    public static IEnumerable<AttributeSyntax> Attributes(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(list => list.Attributes).Where(a => ShortName(a.Name) is var n && (n == name || n == name + "Attribute"));

    /// <summary>A name without its qualifier: Functions.IFromBody&lt;T&gt; -> IFromBody.</summary>
    public static string ShortName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => name.ToString(),
    };

    private static string Name(MethodDeclarationSyntax method) =>
        (method.Parent is TypeDeclarationSyntax type ? type.Identifier.ValueText + "." : "") + method.Identifier.ValueText;

    private static IReadOnlyList<AttributeArgumentSyntax> Positional(AttributeSyntax attribute) =>
        attribute.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList() ?? new List<AttributeArgumentSyntax>();

    private static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static string? StringArgument(AttributeSyntax attribute, int index, string what, List<DeclarationProblem> problems)
    {
        var arguments = Positional(attribute);
        if (arguments.Count <= index)
        {
            problems.Add(new("FN0005", $"[{ShortName(attribute.Name)}] needs its {what}", attribute.GetLocation()));
            return null;
        }
        return Literal<string>(arguments[index].Expression, what, problems);
    }

    /// <summary>A literal, as the CDK app must read it without compiling: a constant elsewhere cannot be seen.</summary>
    private static T? Literal<T>(ExpressionSyntax expression, string what, List<DeclarationProblem> problems)
    {
        if (expression is LiteralExpressionSyntax literal && literal.Token.Value is T value)
        {
            return value;
        }
        problems.Add(new("FN0005", $"The {what} must be written as a literal {(typeof(T) == typeof(string) ? "string" : "number")} (the CDK app reads it from the source), not '{expression}'", expression.GetLocation()));
        return default;
    }

    /// <summary>TableAccess.GetItem | TableAccess.Scan -> [GetItem, Scan].</summary>
    private static IReadOnlyList<string>? AccessArgument(AttributeSyntax attribute, List<DeclarationProblem> problems)
    {
        var arguments = Positional(attribute);
        if (arguments.Count < 2)
        {
            problems.Add(new("FN0005", "[UsesTable] needs the table and its access, e.g. [UsesTable(\"Items\", TableAccess.Read)]", attribute.GetLocation()));
            return null;
        }
        var names = new List<string>();
        var pending = new Stack<ExpressionSyntax>();
        pending.Push(arguments[1].Expression);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseOrExpression):
                    pending.Push(binary.Right);
                    pending.Push(binary.Left);
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    pending.Push(parenthesized.Expression);
                    break;
                case MemberAccessExpressionSyntax member when TableActions.ByAccess.ContainsKey(member.Name.Identifier.ValueText):
                    names.Add(member.Name.Identifier.ValueText);
                    break;
                case var other:
                    problems.Add(new("FN0005", $"The table access must be TableAccess members joined by |, e.g. TableAccess.GetItem | TableAccess.Scan, not '{other}'", other.GetLocation()));
                    return null;
            }
        }
        return names;
    }
}
