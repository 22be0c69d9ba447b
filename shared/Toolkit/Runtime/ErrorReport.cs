namespace Functions.Runtime;

/// <summary>The body of /invocation/{id}/error and /init/error.</summary>
public sealed record ErrorReport(string ErrorMessage, string ErrorType, IReadOnlyList<string> StackTrace)
{
    public static ErrorReport From(Exception error) => new(
        error.Message,
        error.GetType().Name,
        (error.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
