using System.Linq;
using Microsoft.CodeAnalysis;

namespace Functions.Generator;

/// <summary>
/// Our own counterpart of Amazon.Lambda.Annotations' generator: a method with [HttpApi] becomes the function's
/// program. Incremental: syntax -> an equatable <see cref="HandlerModel"/> -> source, so edits that do not touch a handler
/// regenerate nothing. It never throws: every mistake is a diagnostic (FN0001...) at the offending syntax.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FunctionGenerator : IIncrementalGenerator
{
    public const string HttpApiAttribute = "Functions.HttpApiAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var handlers = context.SyntaxProvider.ForAttributeWithMetadataName(
            HttpApiAttribute,
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
            static (syntax, cancellationToken) => HandlerReader.Read(syntax, cancellationToken));

        context.RegisterSourceOutput(handlers.Collect(), static (output, all) =>
        {
            foreach (var diagnostic in all.SelectMany(h => h.Diagnostics))
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            var valid = all.Where(h => h.Diagnostics.Count == 0).ToList();
            foreach (var group in valid.GroupBy(h => h.RouteKey).Where(g => g.Count() > 1))
            {
                foreach (var duplicate in group.Skip(1))
                {
                    output.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateRoute, duplicate.Location.ToLocation(),
                        $"{duplicate.RouteKey} is served by both {group.First().Method} and {duplicate.Method}: one route and verb has one handler"));
                }
            }
            if (valid.Count == 0 || valid.Select(h => h.RouteKey).Distinct().Count() < valid.Count)
            {
                return;
            }
            if (valid.Count > 1)
            {
                foreach (var extra in valid.Skip(1))
                {
                    output.ReportDiagnostic(Diagnostic.Create(Diagnostics.OneHandlerPerFunction, extra.Location.ToLocation(),
                        $"{extra.ContainingType}.{extra.Method}", $"{valid[0].ContainingType}.{valid[0].Method}"));
                }
                return;
            }
            output.AddSource("FunctionProgram.g.cs", Emitter.Program(valid[0]));
        });
    }
}
