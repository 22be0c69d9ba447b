using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Functions.Generator;

/// <summary>An immutable array compared by its items, so pipeline models stay equal across edits that do not touch them.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T> where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items;

    public EquatableArray(IEnumerable<T> items) => _items = items.ToImmutableArray();

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public bool Equals(EquatableArray<T> other) => this.SequenceEqual(other);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode() => this.Aggregate(17, (hash, item) => hash * 31 + item.GetHashCode());

    public IEnumerator<T> GetEnumerator() => (_items.IsDefault ? Enumerable.Empty<T>() : _items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Where a diagnostic goes, without holding a syntax tree (which would defeat the incremental cache).</summary>
internal sealed record DiagnosticLocation(string Path, TextSpan Span, LinePositionSpan Lines)
{
    public static DiagnosticLocation From(Location location) =>
        new(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(Path, Span, Lines);
}

/// <summary>A diagnostic as data: the descriptor's id and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, DiagnosticLocation Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Diagnostics.ForId(Id), Location.ToLocation(), Arguments.Cast<object>().ToArray());
}

/// <summary>How one parameter of the handler gets its value.</summary>
internal enum BindingKind
{
    Request,
    Context,
    CancellationToken,
    Service,

    /// <summary>An AWS SDK client (AmazonDynamoDBClient...): built once at init with its parameterless constructor.</summary>
    AwsClient,

    /// <summary>The streamed response (HttpResponseStream) of a function URL in RESPONSE_STREAM mode.</summary>
    ResponseStream,
    CustomBody,
    Route,
    Query,
    Header,
}

/// <param name="Type">The parameter's type, fully qualified (global::...).</param>
/// <param name="Source">The route parameter, query key or header name it reads.</param>
/// <param name="Parser">For simple values: Text, Int32, Int64, Boolean or Guid.</param>
internal sealed record ParameterModel(string Name, string Type, BindingKind Kind, string Source, string Parser, bool Required);

/// <summary>Everything the emitter needs about one handler, and nothing that changes when unrelated code does.</summary>
internal sealed record HandlerModel(
    string Method,
    string ContainingType,
    string Key,
    string ReturnKind,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<DiagnosticInfo> Diagnostics,
    DiagnosticLocation Location)
{
    /// <summary>Type.Method, as the declaration reader names a handler in its messages.</summary>
    public string Name => ContainingType.Substring(ContainingType.LastIndexOfAny(new[] { '.', ':' }) + 1) + "." + Method;
}
