using System.IO.Compression;
using System.Xml.Linq;
using Functions.Build.Processes;

namespace Functions.Tests.Building;

/// <summary>
/// The toolkit as packages in a folder feed: each with the one version of Pack.props, its readme and the licence; the
/// generator inside the toolkit's package as its analyzer; the CLI a dotnet tool that installs from the feed and runs.
/// </summary>
[Collection(PackedFeed.Collection)]
public sealed class PackagesTests(PackedFeed packed)
{
    private readonly Repository _repository = Repository.Locate();

    private string Feed => packed.Feed;

    [Fact]
    public void Every_package_has_the_one_version_its_readme_and_the_licence()
    {
        var version = XDocument.Load(Path.Combine(_repository.Root, "Pack.props")).Descendants("Version").Single().Value;

        var packages = Directory.GetFiles(Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(new[] { "Functions.Build", "Functions.Cdk", "Functions.DynamoDb", "Functions.Templates", "Functions.Tool", "Functions.Toolkit" }.Select(id => $"{id}.{version}.nupkg"), packages);
        foreach (var package in Directory.GetFiles(Feed, "*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(package);
            var metadata = Metadata(zip);
            Assert.Equal(version, metadata.Element(metadata.Name.Namespace + "version")?.Value);
            Assert.Equal("MIT", metadata.Element(metadata.Name.Namespace + "license")?.Value);
            Assert.Equal("README.md", metadata.Element(metadata.Name.Namespace + "readme")?.Value);
            Assert.NotNull(zip.GetEntry("README.md"));
            Assert.NotNull(zip.GetEntry("LICENSE"));
        }
    }

    [Fact]
    public void The_toolkit_package_carries_the_generator_as_its_analyzer()
    {
        using var zip = ZipFile.OpenRead(Directory.GetFiles(Feed, "Functions.Toolkit.*.nupkg").Single());

        Assert.NotNull(zip.GetEntry("lib/net10.0/Functions.Toolkit.dll"));
        Assert.NotNull(zip.GetEntry("analyzers/dotnet/cs/Functions.Generator.dll"));
    }

    [Fact]
    public void The_constructs_depend_on_the_build_core_of_the_same_version()
    {
        using var zip = ZipFile.OpenRead(Directory.GetFiles(Feed, "Functions.Cdk.*.nupkg").Single());
        var metadata = Metadata(zip);

        var dependencies = metadata.Descendants(metadata.Name.Namespace + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);

        Assert.Equal(metadata.Element(metadata.Name.Namespace + "version")!.Value, dependencies["Functions.Build"]);
        Assert.Contains("Amazon.CDK.Lib", dependencies.Keys);
    }

    [Fact]
    public async Task The_CLI_installs_from_the_feed_as_a_dotnet_tool_named_fn_and_runs()
    {
        var tools = Path.Combine(packed.Work, "tools");

        var install = await ProcessRunner.RunAsync("dotnet", ["tool", "install", "Functions.Tool", "--add-source", Feed, "--tool-path", tools], packed.Work);
        var version = await ProcessRunner.RunAsync(Path.Combine(tools, "fn"), ["--version"], packed.Work);

        Assert.True(install.ExitCode == 0, install.Output);
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith(XDocument.Load(Path.Combine(_repository.Root, "Pack.props")).Descendants("Version").Single().Value, version.Stdout.Trim(), StringComparison.Ordinal);
    }

    private static XElement Metadata(ZipArchive zip)
    {
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        return document.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }
}

/// <summary>Every package of the toolkit packed once into a folder feed, for every test of the collection.</summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public const string Collection = "Packed feed";

    private static readonly string[] Projects =
    [
        "shared/Toolkit/Functions.Toolkit.csproj",
        "shared/DynamoDb/Functions.DynamoDb.csproj",
        "build/Functions.Build.csproj",
        "constructs/Functions.Cdk.csproj",
        "tools/Functions.Tools.csproj",
        "templates/Functions.Templates.csproj",
    ];

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("fn-packages-");

    public string Work => _work.FullName;

    public string Feed => Path.Combine(Work, "feed");

    public async Task InitializeAsync()
    {
        var root = Repository.Locate().Root;
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        foreach (var project in Projects)
        {
            // Its own artifacts path: the repository's bin/ and obj/ (which other tests run from) are not touched.
            var pack = await ProcessRunner.RunAsync("dotnet",
                ["pack", Path.Combine(root, project), "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Work, "build"), "--nologo"],
                cancellationToken: patience.Token);
            Assert.True(pack.ExitCode == 0, pack.Output);
        }
    }

    public Task DisposeAsync()
    {
        _work.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(PackedFeed.Collection)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>;
