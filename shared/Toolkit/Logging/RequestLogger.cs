namespace Functions.Logging;

/// <summary>The logger as a handler sees it: every line carries the invocation's request id.</summary>
public readonly struct RequestLogger(LambdaLogger logger, string requestId)
{
    public void Debug(string message) => logger.Write(LogLevel.Debug, requestId, message);
    public void Info(string message) => logger.Write(LogLevel.Info, requestId, message);
    public void Warn(string message) => logger.Write(LogLevel.Warn, requestId, message);
    public void Error(string message) => logger.Write(LogLevel.Error, requestId, message);
}
