namespace Functions.Logging;

/// <summary>Lambda's log levels, in the order AWS_LAMBDA_LOG_LEVEL filters them.</summary>
public enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
