using System.Text.RegularExpressions;

namespace Functions.Tools.Scaffold;

/// <summary>
/// Where fn new writes a function's test: the app's test project that runs functions through the fn tool, the one
/// under tests/ holding Cli/FnCli.cs (tests/Functions.Tests here, tests/APP.Tests in an app `dotnet new fn-api` made).
/// Its tests go in Functions/, in the namespace beside FnCli's.
/// </summary>
internal sealed partial record TestProject(string Folder, string CliNamespace, bool SharesBuiltFunctions)
{
    /// <summary>Functions.Tests.Cli -> Functions.Tests.Functions.</summary>
    public string TestsNamespace => CliNamespace[..(CliNamespace.LastIndexOf('.') + 1)] + "Functions";

    /// <summary>The test file of a function, relative to the root.</summary>
    public string TestFile(string typeName) => $"{Folder}/Functions/{typeName}FunctionTests.cs";

    public static TestProject Find(Repository repository)
    {
        var tests = Path.Combine(repository.Root, "tests");
        var found = Directory.Exists(tests)
            ? Directory.GetDirectories(tests).Where(d => File.Exists(Path.Combine(d, "Cli", "FnCli.cs"))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (found.Count != 1)
        {
            throw new UserError($"fn new writes the function's test into the test project under tests/ that holds Cli/FnCli.cs (the one `dotnet new fn-api` makes); "
                + (found.Count == 0 ? "there is none: restore it, or write the test by hand." : $"there are {found.Count}: {string.Join(", ", found.Select(f => Path.GetRelativePath(repository.Root, f)))}."));
        }
        var folder = found[0];
        var cli = File.ReadAllText(Path.Combine(folder, "Cli", "FnCli.cs"));
        var cliNamespace = FileScopedNamespace().Match(cli) is { Success: true } match
            ? match.Groups[1].Value
            : throw new UserError($"{Path.GetRelativePath(repository.Root, Path.Combine(folder, "Cli", "FnCli.cs"))} declares no file-scoped namespace: fn new writes the test beside it.");
        return new TestProject(
            Path.GetRelativePath(repository.Root, folder).Replace('\\', '/'),
            cliNamespace,
            File.Exists(Path.Combine(folder, "Functions", "BuiltFunctionsFixture.cs")));
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
