using System.Collections.Generic;
using System.Linq;
using Functions.Declarations;
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
            var conflicts = HandlerConflicts.Find(valid.Select(h => new KeyValuePair<string, string>(h.RouteKey, h.Name)).ToList(), oneFunction: true);
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
