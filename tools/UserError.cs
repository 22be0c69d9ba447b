namespace Functions.Tools;

/// <summary>The exit codes of every verb: the README's promise, in one place.</summary>
public static class ExitCode
{
    public const int Success = 0;

    /// <summary>A failure the user can fix; the one-line message says how.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage: an argument or option that cannot work.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

/// <summary>
/// A problem the user can fix (a missing tool, a bad file, a port in use): tools/Program.cs prints its message as
/// one line, never a stack trace, and exits with <see cref="Code"/>. Every verb throws these rather than printing and
/// returning its own codes.
/// </summary>
public class UserError(string message, int code = ExitCode.Failure, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;
}

/// <summary>Bad usage (exit 2): what was given, and what would work.</summary>
public sealed class UsageError(string message) : UserError(message, ExitCode.Usage);

/// <summary>The exceptions that carry a problem the user can fix, from this tool and from the build core.</summary>
public static class UserErrors
{
    public static UserError? Describe(Exception error) => error switch
    {
        UserError user => user,
        BuildException build => new UserError(build.Message),
        Instances.InstanceStartException start => new UserError(start.Message),
        DynamoDb.DynaliteStartException dynalite => new UserError(dynalite.Message),
        Auth.IssuerKeysException keys => new UserError(keys.Message),
        AggregateException { InnerExceptions.Count: 1 } single => Describe(single.InnerException!),
        _ => null,
    };
}

/// <summary>A file the user wrote (prices, a bench.json, a fixture) that cannot be read: the message names it and the field.</summary>
public sealed class BadFileError(string message, Exception? inner = null) : UserError(message, ExitCode.Failure, inner);
