using System.Collections.Immutable;
using Functions.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Functions.Tests.Generator;

/// <summary>
/// The source generator on small sources compiled in memory against the real toolkit: the program it writes compiles,
/// binds what it should, and every mistake is a compile error with its id at the offending code. The
/// generated code also runs for real: every function under lambdas/ is built from it and exercised by the other tests.
/// </summary>
public sealed class FunctionGeneratorTests
{
    private const string Usings = """
        using System.Threading.Tasks;
        using Functions;
        using Functions.Http;
        using Functions.Runtime;

        """;

    [Fact]
    public void A_route_parameter_binds_to_the_method_parameter_of_its_name()
    {
        var run = Generate("""
            public static class Get
            {
                [HttpApi("GET", "/things/{id}")]
                public static Task<HttpApiResponse> Handle(string id, InvocationContext context) =>
                    Task.FromResult(Results.Ok(new MessageBody(id), Functions.Json.FunctionsJson.Wire.MessageBody));
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Contains("request.PathParameter(\"id\")", run.Program, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Threading.Tasks.Task<int> Main()", run.Program, StringComparison.Ordinal);
        Assert.Empty(run.CompileErrors);
    }

    [Fact]
    public void Query_values_headers_bodies_and_services_bind_and_the_service_is_built_once_at_init()
    {
        var run = Generate("""
            public sealed class Clock : IFunctionService<Clock>
            {
                public static Clock Create(FunctionStartup startup) => new();
            }

            public sealed class Order : IFromBody<Order>
            {
                public static Order FromBody(System.ReadOnlyMemory<byte> json) => new();
            }

            public static class Search
            {
                [HttpApi("POST", "/orders/{id}/lines")]
                public static HttpApiResponse Handle(long id, [FromQuery] int? limit, [FromQuery("sort")] string? order,
                    [FromHeader("If-Match")] string? ifMatch, Order body, Clock clock, System.Threading.CancellationToken cancellationToken) =>
                    Results.NoContent();
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        Assert.Contains("global::Clock.Create(startup)", run.Program, StringComparison.Ordinal);
        Assert.Contains("Bind.Required(global::Functions.Http.Bind.Int64(request.PathParameter(\"id\")", run.Program, StringComparison.Ordinal);
        Assert.Contains("Bind.Int32(request.QueryParameter(\"limit\")", run.Program, StringComparison.Ordinal);
        Assert.Contains("request.QueryParameter(\"sort\")", run.Program, StringComparison.Ordinal);
        Assert.Contains("request.Header(\"If-Match\")", run.Program, StringComparison.Ordinal);
        Assert.Contains("global::Order.FromBody(global::Functions.Http.RequestBody.ReadJson(request))", run.Program, StringComparison.Ordinal);
        // Built before the handler delegate, so once per execution environment, not per request.
        Assert.True(run.Program.IndexOf(".Create(startup)", StringComparison.Ordinal) < run.Program.IndexOf("new global::Functions.Http.HttpFunction", StringComparison.Ordinal));
    }

    [Fact]
    public void A_route_parameter_named_as_a_CSharp_keyword_binds_to_its_escaped_parameter()
    {
        // {class} is a route HTTP API takes; the handler writes it @class (./fn new does), and the program passes it.
        var run = Generate("""
            public static class Get
            {
                [HttpApi("GET", "/courses/{class}")]
                public static HttpApiResponse Handle(string @class) => Results.NoContent();
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        Assert.Contains("request.PathParameter(\"class\")", run.Program, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_parameter_without_a_method_parameter_is_FN0001()
    {
        var run = Generate("""
            public static class Get
            {
                [HttpApi("GET", "/things/{id}")]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);

        var error = Assert.Single(run.Diagnostics);
        Assert.Equal("FN0001", error.Id);
        Assert.Contains("{id}", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Null(run.ProgramOrNull);
    }

    [Fact]
    public void A_parameter_of_a_type_nothing_can_bind_is_FN0002_at_the_parameter()
    {
        var run = Generate("""
            public static class Get
            {
                [HttpApi("GET", "/things")]
                public static HttpApiResponse Handle(System.DateTime when) => Results.NoContent();
            }
            """);

        var error = Assert.Single(run.Diagnostics);
        Assert.Equal("FN0002", error.Id);
        Assert.Contains("when", run.Source[error.Location.SourceSpan.Start..error.Location.SourceSpan.End], StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_of_AWS_s_SDK_is_built_once_at_init_with_its_own_configuration()
    {
        var run = Generate("""
            public static class Get
            {
                [HttpApi("GET", "/things/{id}")]
                public static async Task<HttpApiResponse> Handle(string id, Amazon.DynamoDBv2.AmazonDynamoDBClient dynamo, System.Threading.CancellationToken cancellationToken)
                {
                    _ = await dynamo.GetItemAsync("things", new() { ["id"] = new(id) }, cancellationToken);
                    return Results.NoContent();
                }
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        var init = run.Program[..run.Program.IndexOf("new global::Functions.Http.HttpFunction", StringComparison.Ordinal)];
        Assert.Contains("= new global::Amazon.DynamoDBv2.AmazonDynamoDBClient();", init, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_handlers_for_one_route_and_verb_are_FN0003()
    {
        var run = Generate("""
            public static class Twice
            {
                [HttpApi("GET", "/things")]
                public static HttpApiResponse One() => Results.NoContent();

                [HttpApi("GET", "/things")]
                public static HttpApiResponse Two() => Results.NoContent();
            }
            """);

        Assert.Equal("FN0003", Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public void Two_handlers_whose_routes_differ_only_in_parameter_names_are_FN0003()
    {
        var run = Generate("""
            public static class Twice
            {
                [HttpApi("GET", "/things/{id}")]
                public static HttpApiResponse One(string id) => Results.NoContent();

                [HttpApi("GET", "/things/{key}")]
                public static HttpApiResponse Two(string key) => Results.NoContent();
            }
            """);

        var error = Assert.Single(run.Diagnostics);
        Assert.Equal("FN0003", error.Id);
        Assert.Contains("GET /things/{id} and GET /things/{key} is served by both Twice.One and Twice.Two",
            error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "things")]
    [InlineData("FETCH", "/things")]
    [InlineData("GET", "/things/{item-id}")]
    public void A_malformed_route_is_FN0004(string verb, string path)
    {
        var run = Generate($$"""
            public static class Get
            {
                [HttpApi("{{verb}}", "{{path}}")]
                public static HttpApiResponse Handle(string id, string path) => Results.NoContent();
            }
            """);

        Assert.Equal("FN0004", Assert.Single(run.Diagnostics).Id);
    }

    [Theory]
    [InlineData(1000, 128, null)]
    [InlineData(1001, 128, "more than the 1000 a route may have")]
    [InlineData(1000, 129, "more than the 128 a parameter name may have")]
    public void A_route_is_at_most_1000_characters_with_parameter_names_of_at_most_128(int length, int parameterLength, string? problem)
    {
        var parameter = new string('p', parameterLength);
        var path = "/" + new string('x', length - parameterLength - 4) + "/{" + parameter + "}";
        var run = Generate($$"""
            public static class Get
            {
                [HttpApi("GET", "{{path}}")]
                public static HttpApiResponse Handle(string {{parameter}}) => Results.NoContent();
            }
            """);

        if (problem is null)
        {
            Assert.Empty(run.Diagnostics);
            Assert.Empty(run.CompileErrors);
        }
        else
        {
            var diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal("FN0004", diagnostic.Id);
            Assert.Contains(problem, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_route_that_is_not_a_literal_is_FN0005_since_the_CDK_app_reads_it_from_source()
    {
        var run = Generate("""
            public static class Get
            {
                private const string Path = "/things";

                [HttpApi("GET", Path)]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);

        Assert.Equal("FN0005", Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public void An_instance_method_or_another_return_type_is_FN0006()
    {
        var run = Generate("""
            public sealed class Get
            {
                [HttpApi("GET", "/things")]
                public string Handle() => "";
            }
            """);

        Assert.Equal("FN0006", Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public void A_streaming_function_URL_alone_becomes_a_program_that_streams_with_its_parameters_bound()
    {
        var run = Generate("""
            public static class Export
            {
                [FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]
                public static async Task Handle(HttpResponseStream response, [FromQuery] int? limit, System.Threading.CancellationToken cancellationToken)
                {
                    response.Headers["content-type"] = "application/x-ndjson";
                    await response.WriteAsync(new byte[] { (byte)'\n' }, cancellationToken);
                }
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Contains("new global::Functions.Http.StreamingHttpFunction(async (request, response, context) =>", run.Program, StringComparison.Ordinal);
        Assert.Contains("request.QueryParameter(\"limit\")", run.Program, StringComparison.Ordinal);
        Assert.Contains("await global::Export.Handle(response, __limit, context.CancellationToken)", run.Program, StringComparison.Ordinal);
        Assert.Empty(run.CompileErrors);
    }

    [Fact]
    public void A_buffered_function_URL_beside_a_route_is_an_ordinary_handler()
    {
        var run = Generate("""
            public static class Feed
            {
                [HttpApi("GET", "/feed")]
                [FunctionUrl(Auth = FunctionUrlAuth.None)]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Contains("new global::Functions.Http.HttpFunction(", run.Program, StringComparison.Ordinal);
        Assert.Empty(run.CompileErrors);
    }

    [Theory]
    [InlineData("[FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]", "public static Task Handle() => Task.CompletedTask;", "take an HttpResponseStream to write to")]
    [InlineData("[FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]", "public static HttpApiResponse Handle(HttpResponseStream response) => Results.NoContent();", "return Task or ValueTask")]
    [InlineData("[FunctionUrl]", "public static Task Handle(HttpResponseStream response) => Task.CompletedTask;", "only a function URL that streams gives")]
    [InlineData("[HttpApi(\"GET\", \"/export\")][FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]", "public static Task Handle(HttpResponseStream response) => Task.CompletedTask;", "which HTTP API cannot pass on (GET /export would answer 502)")]
    public void A_streaming_handler_of_another_shape_is_FN0011_saying_what_to_change(string attributes, string method, string problem)
    {
        var run = Generate($$"""
            public static class Export
            {
                {{attributes}}
                {{method}}
            }
            """);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("FN0011", diagnostic.Id);
        Assert.Contains(problem, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_URL_setting_that_is_not_a_member_of_its_enum_is_FN0005_since_the_CDK_app_reads_it_from_source()
    {
        var run = Generate("""
            public static class Export
            {
                private const FunctionUrlAuth Open = FunctionUrlAuth.None;

                [FunctionUrl(Auth = Open)]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("FN0005", diagnostic.Id);
        Assert.Contains("Auth must be written as FunctionUrlAuth.Member", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_handler_in_one_function_is_FN0007()
    {
        var run = Generate("""
            public static class Both
            {
                [HttpApi("GET", "/things")]
                public static HttpApiResponse List() => Results.NoContent();

                [HttpApi("POST", "/things")]
                public static HttpApiResponse Create() => Results.NoContent();
            }
            """);

        Assert.Equal("FN0007", Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public void Authorize_and_AllowAnonymous_on_one_handler_are_FN0010()
    {
        var run = Generate("""
            public static class Both
            {
                [HttpApi("POST", "/things")]
                [Authorize("things:write")]
                [AllowAnonymous]
                public static HttpApiResponse Create() => Results.NoContent();
            }
            """);

        Assert.Equal("FN0010", Assert.Single(run.Diagnostics).Id);
    }

    [Theory]
    [InlineData("\"things write\"")]
    [InlineData("\"\"")]
    [InlineData("Scopes.Write")]
    public void A_scope_with_a_space_an_empty_one_or_one_that_is_not_a_literal_is_refused(string scope)
    {
        var run = Generate($$"""
            public static class Create
            {
                [HttpApi("POST", "/things")]
                [Authorize({{scope}})]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);

        Assert.Contains(Assert.Single(run.Diagnostics).Id, new[] { "FN0010", "FN0005" });
    }

    [Fact]
    public void Authorize_with_scopes_is_read_into_the_declaration()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            public static class Create
            {
                [HttpApi("POST", "/things")]
                [Authorize("things:write", "things:admin")]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """, Parse);

        var (declarations, problems) = global::Functions.Declarations.DeclarationReader.Read([tree]);

        Assert.Empty(problems);
        var access = Assert.Single(declarations).Access;
        Assert.Equal(global::Functions.Declarations.RouteAccessKind.Token, access.Kind);
        Assert.Equal(["things:write", "things:admin"], access.Scopes);
    }

    [Fact]
    public void Every_TableAccess_member_has_its_DynamoDB_actions_in_the_declaration_reader()
    {
        // The CDK app reads TableAccess names from source: a member without a row would grant nothing.
        Assert.Equal(Enum.GetNames<TableAccess>().Order(StringComparer.Ordinal),
            global::Functions.Declarations.TableActions.ByAccess.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_edit_elsewhere_regenerates_nothing()
    {
        var handler = CSharpSyntaxTree.ParseText(Usings + """
            public static class Get
            {
                [HttpApi("GET", "/things")]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """, Parse, "Get.cs");
        var other = CSharpSyntaxTree.ParseText("public static class Other { public static int Value => 1; }", Parse, "Other.cs");
        var compilation = Compile(handler, other);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new FunctionGenerator().AsSourceGenerator()],
            parseOptions: Parse, driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("public static class Other { public static int Value => 2; }", Parse, "Other.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs);
        Assert.All(outputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.CSharp12);

    private static GeneratorRun Generate(string source)
    {
        var text = Usings + source;
        var compilation = Compile(CSharpSyntaxTree.ParseText(text, Parse, "Handler.cs"));
        var driver = CSharpGeneratorDriver.Create([new FunctionGenerator().AsSourceGenerator()], parseOptions: Parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        var program = result.GeneratedSources.Select(s => s.SourceText.ToString()).SingleOrDefault();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return new GeneratorRun(text, result.Diagnostics, program, errors);
    }

    private static CSharpCompilation Compile(params SyntaxTree[] trees)
    {
        // The framework this test runs on, and the real toolkit the functions link.
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(HttpApiAttribute).Assembly.Location)
            .Append(typeof(Amazon.DynamoDBv2.AmazonDynamoDBClient).Assembly.Location)
            .Append(typeof(Amazon.Runtime.AmazonServiceClient).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create("Function", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    private sealed record GeneratorRun(string Source, ImmutableArray<Diagnostic> Diagnostics, string? ProgramOrNull, ImmutableArray<Diagnostic> CompileErrors)
    {
        public string Program => ProgramOrNull ?? throw new InvalidOperationException("Nothing was generated: " + string.Join("; ", Diagnostics));
    }
}
