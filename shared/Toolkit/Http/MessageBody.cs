namespace Functions.Http;

/// <summary>{"message": "..."}: Hello's answer, and the shape API Gateway uses for its own errors.</summary>
public sealed record MessageBody(string Message);
