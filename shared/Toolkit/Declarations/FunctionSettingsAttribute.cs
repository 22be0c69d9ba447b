namespace Functions;

/// <summary>The function's Lambda settings where they differ from the stack's defaults (memory from -c memory, 10 s).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FunctionSettingsAttribute : Attribute
{
    /// <summary>128 to 10240; 0 keeps the stack's default.</summary>
    public int MemoryMb { get; init; }

    /// <summary>1 to 900; 0 keeps the stack's default.</summary>
    public int TimeoutSeconds { get; init; }
}

/// <summary>A variable in the function's environment, deployed and local alike.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class EnvironmentVariableAttribute(string name, string value) : Attribute
{
    public string Name { get; } = name;

    public string Value { get; } = value;
}
