using System.Collections.Generic;
using System.Linq;
using Functions.Declarations;
using Microsoft.CodeAnalysis;

namespace Functions.Generator;

/// <summary>
/// Our own counterpart of Amazon.Lambda.Annotations' generator: a method with [HttpApi] or [FunctionUrl] becomes the
/// function's program. Incremental: syntax -> an equatable <see cref="HandlerModel"/> -> source, so edits that do not touch a handler
/// regenerate nothing. It never throws: every mistake is a diagnostic (FN0001...) at the offending syntax.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FunctionGenerator : IIncrementalGenerator
{
    public const string HttpApiAttribute = "Functions.HttpApiAttribute";
    public const string FunctionUrlAttribute = "Functions.FunctionUrlAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var routed = context.SyntaxProvider.ForAttributeWithMetadataName(
            HttpApiAttribute,
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
            static (syntax, cancellationToken) => HandlerReader.Read(syntax, cancellationToken));
        // A handler with a URL and no route; one with both is read once, with the routed ones.
        var urlOnly = context.SyntaxProvider.ForAttributeWithMetadataName(
            FunctionUrlAttribute,
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax method && !DeclarationReader.Attributes(method, DeclarationReader.HttpApi).Any(),
            static (syntax, cancellationToken) => HandlerReader.Read(syntax, cancellationToken));
        var handlers = routed.Collect().Combine(urlOnly.Collect()).Select(static (both, _) => both.Left.AddRange(both.Right));

        context.RegisterSourceOutput(handlers, static (output, all) =>
        {
            foreach (var diagnostic in all.SelectMany(h => h.Diagnostics))
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            var valid = all.Where(h => h.Diagnostics.Count == 0).ToList();
            var conflicts = HandlerConflicts.Find(valid.Select(h => new KeyValuePair<string, string>(h.Key, h.Name)).ToList(), oneFunction: true);
            foreach (var conflict in conflicts)
            {
                output.ReportDiagnostic(Diagnostic.Create(Diagnostics.ForId(conflict.Id), valid[conflict.Index].Location.ToLocation(), conflict.Message));
            }
            if (valid.Count != 1 || conflicts.Count > 0)
            {
                return;
            }
            output.AddSource("FunctionProgram.g.cs", Emitter.Program(valid[0]));
        });
    }
}
