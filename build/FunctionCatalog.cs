using Functions.Declarations;
using Microsoft.CodeAnalysis.CSharp;

namespace Functions.Build;

/// <summary>A function under lambdas/ and what it declares about itself.</summary>
/// <param name="Name">The project folder name, e.g. Items.Get.</param>
/// <param name="Project">The project folder relative to the root, e.g. lambdas/Items.Get.</param>
internal sealed record DeclaredFunction(string Name, string Project, FunctionDeclaration Declaration);

/// <summary>
/// Every function of the repository with its declaration, read from source by the same reader the generator uses
/// (shared/Generator/Declarations): the CDK app builds routes, IAM and settings from it, `./fn new` refuses a route
/// that exists. A mistake the compiler would report is reported here too, with the same id, before any build.
/// </summary>
internal static class FunctionCatalog
{
    public static IReadOnlyList<DeclaredFunction> Discover(Repository repository)
    {
        var functions = repository.FunctionNames().Select(name => Read(repository, name)).ToList();
        var conflict = HandlerConflicts.Find(functions.Select(f => KeyValuePair.Create(f.Declaration.Key, f.Project)).ToList(), oneFunction: false).FirstOrDefault();
        if (conflict is not null)
        {
            throw new BuildException($"{conflict.Id}: {conflict.Message}.");
        }
        return functions;
    }

    /// <summary>The function that serves this verb and path already, with the same or other parameter names, or null.</summary>
    public static DeclaredFunction? Serving(IReadOnlyList<DeclaredFunction> functions, string verb, string path)
    {
        var identity = RouteRules.Identity(verb, path);
        return functions.FirstOrDefault(f => f.Declaration is { Verb: { } v, Path: { } p } && RouteRules.Identity(v, p) == identity);
    }

    /// <summary>
    /// A hash of every function's declaration: the synthesized template depends on it (routes, IAM, settings), so the
    /// local runner re-synthesizes when it changes, and not when only a handler's body did.
    /// </summary>
    public static string Fingerprint(Repository repository)
    {
        var text = new System.Text.StringBuilder();
        foreach (var function in Discover(repository))
        {
            var d = function.Declaration;
            text.Append(function.Name).Append('|').Append(d.Key).Append('|').Append(d.Url).Append('|').Append(d.MemoryMb).Append('|').Append(d.TimeoutSeconds).Append('|').Append(d.Access);
            foreach (var table in d.Tables)
            {
                text.Append('|').Append(table.Table).Append(':').Append(table.Variable).Append(':').AppendJoin(',', table.Actions);
            }
            foreach (var (key, value) in d.Environment)
            {
                text.Append('|').Append(key).Append('=').Append(value);
            }
            text.Append('\n');
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static DeclaredFunction Read(Repository repository, string name)
    {
        var folder = repository.ProjectFolder(name);
        var trees = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !FunctionInputs.IsIgnored(Path.GetRelativePath(folder, file)))
            .Order(StringComparer.Ordinal)
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: Path.GetRelativePath(repository.Root, file)))
            .ToList();
        var (declarations, problems) = DeclarationReader.Read(trees);
        if (problems.Count > 0)
        {
            throw new BuildException(string.Join(Environment.NewLine, problems.Select(p => p.ToString())));
        }
        if (declarations.Count == 0)
        {
            throw new BuildException($"lambdas/{name} declares no handler: mark its handler method with [HttpApi(\"GET\", \"/path\")] (see lambdas/Hello), [FunctionUrl], or both.");
        }
        var conflicts = HandlerConflicts.Find(declarations.Select(d => KeyValuePair.Create(d.Key, d.Method)).ToList(), oneFunction: true);
        if (conflicts.Count > 0)
        {
            throw new BuildException(string.Join(Environment.NewLine, conflicts.Select(c => $"{c.Id}: lambdas/{name}: {c.Message}.")));
        }
        return new DeclaredFunction(name, $"lambdas/{name}", declarations[0]);
    }
}
