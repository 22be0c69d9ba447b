using Functions.Tools.Bench;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Bench;

public sealed class ReportLineTests
{
    private const string ColdLine =
        "REPORT RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11\tDuration: 12.34 ms\tBilled Duration: 163 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tInit Duration: 150.20 ms\t";

    private const string WarmLine =
        "REPORT RequestId: 8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f\tDuration: 1.79 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 21 MB\t";

    private const string PlatformReportJson =
        """{"time":"2025-09-01T10:00:00.123Z","type":"platform.report","record":{"requestId":"6d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b","metrics":{"durationMs":12.34,"billedDurationMs":163,"memorySizeMB":128,"maxMemoryUsedMB":20,"initDurationMs":150.2},"status":"success"}}""";

    [Fact]
    public void A_cold_text_line_gives_every_field_and_its_init_duration()
    {
        var report = Parsed(ColdLine);

        Assert.Equal(new ReportLine("3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11", 12.34, 163, 128, 20, 150.20), report);
        Assert.True(report.IsCold);
    }

    [Fact]
    public void A_text_line_without_init_duration_is_warm()
    {
        var report = Parsed(WarmLine);

        Assert.Null(report.InitDurationMs);
        Assert.False(report.IsCold);
        Assert.Equal((1.79, 2L, 21), (report.DurationMs, report.BilledDurationMs, report.MaxMemoryUsedMb));
    }

    [Fact]
    public void XRay_fields_after_the_report_are_skipped()
    {
        var line = ColdLine + "XRAY TraceId: 1-5f84c7a1-6a2b3c4d5e6f7a8b9c0d1e2f\tSegmentId: 0b1c2d3e4f5a6b7c\tSampled: true\t";

        var report = Parsed(line);

        Assert.Equal(150.20, report.InitDurationMs);
        Assert.Equal("3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11", report.RequestId);
    }

    [Fact]
    public void A_timestamp_prefix_and_spaces_instead_of_tabs_are_tolerated()
    {
        var line = "2025-09-01T10:00:00.123Z REPORT RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11  Duration: 12.34 ms  Billed Duration: 163 ms  Memory Size: 128 MB  Max Memory Used: 20 MB  Init Duration: 150.20 ms\r";

        var report = Parsed(line);

        Assert.Equal(new ReportLine("3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11", 12.34, 163, 128, 20, 150.20), report);
    }

    [Fact]
    public void The_emulators_own_REPORT_line_reads_back()
    {
        var emitted = new InvocationReport("a1b2c3d4-0000-4000-8000-000000000001",
            InvocationOutcome.Success([], DateTimeOffset.UnixEpoch), 3.456, 256, 18, 41.5);

        var report = Parsed(emitted.ReportLine);

        Assert.Equal(new ReportLine("a1b2c3d4-0000-4000-8000-000000000001", 3.46, 45, 256, 18, 41.5), report);
    }

    [Fact]
    public void A_JSON_platform_report_gives_the_same_fields_as_the_text_line()
    {
        var report = Parsed(PlatformReportJson);

        Assert.Equal(new ReportLine("6d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b", 12.34, 163, 128, 20, 150.2), report);
    }

    [Fact]
    public void A_JSON_platform_report_without_initDurationMs_is_warm()
    {
        var json = """{"time":"2025-09-01T10:00:01.000Z","type":"platform.report","record":{"requestId":"r-2","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":21},"status":"success"}}""";

        var report = Parsed(json);

        Assert.False(report.IsCold);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("START RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11 Version: $LATEST")]
    [InlineData("END RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11")]
    [InlineData("REPORT RequestId: 3f5c9a2e Duration: twelve ms")]
    [InlineData("REPORT RequestId: 3f5c9a2e\tDuration: 12.34 ms\tBilled Duration: 13 ms")]
    [InlineData("{\"level\":\"INFO\",\"message\":\"REPORT is ready\"}")]
    [InlineData("{\"type\":\"platform.report\"}")]
    [InlineData("{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":{\"durationMs\":\"12\"}}}")]
    [InlineData("{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r\"}}")]
    [InlineData("{ not json")]
    public void Lines_that_are_not_reports_are_refused(string line)
    {
        Assert.False(ReportLine.TryParse(line, out _));
    }

    [Fact]
    public void A_plain_log_file_yields_only_its_report_lines_in_order()
    {
        var text = string.Join("\n",
            "START RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11 Version: $LATEST",
            "2025-09-01T10:00:00.100Z\t3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11\tINFO\tlisting items",
            "END RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11",
            ColdLine,
            "",
            "some junk",
            WarmLine);

        var reports = ReportLine.ParseFile(text);

        Assert.Equal(new[] { true, false }, reports.Select(r => r.IsCold));
    }

    [Fact]
    public void A_CloudWatch_export_array_yields_reports_in_either_form()
    {
        var text = $$"""
            [
              {"timestamp": 1756720800000, "message": "START RequestId: 3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11 Version: $LATEST\n"},
              {"timestamp": 1756720800150, "message": {{Quote(ColdLine + "\n")}}},
              {"timestamp": 1756720801000, "message": {{Quote(PlatformReportJson)}}},
              {"timestamp": 1756720801500, "message": "END RequestId: 8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f\n"},
              {"timestamp": 1756720802000, "message": {{Quote(WarmLine + "\n")}}}
            ]
            """;

        var reports = ReportLine.ParseFile(text);

        Assert.Equal(
            new[] { "3f5c9a2e-1b7d-4c1e-9f0a-2d6b8e4c7a11", "6d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b", "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f" },
            reports.Select(r => r.RequestId));
    }

    [Fact]
    public void The_events_of_filter_log_events_output_are_read()
    {
        var text = $$"""
            {"events": [
              {"logStreamName": "2025/09/01/[$LATEST]abc", "timestamp": 1756720800150, "message": {{Quote(ColdLine)}}, "ingestionTime": 1756720800200, "eventId": "1"}
            ], "searchedLogStreams": []}
            """;

        var reports = ReportLine.ParseFile(text);

        Assert.Equal(150.20, Assert.Single(reports).InitDurationMs);
    }

    [Fact]
    public void A_JSON_lines_file_yields_its_platform_reports_and_skips_other_records()
    {
        var text = string.Join("\n",
            """{"time":"2025-09-01T10:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init"}}""",
            """{"time":"2025-09-01T10:00:00.100Z","type":"platform.start","record":{"requestId":"6d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b","version":"$LATEST"}}""",
            """{"timestamp":"2025-09-01T10:00:00.110Z","level":"INFO","requestId":"6d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b","message":"listing items"}""",
            PlatformReportJson,
            """{"time":"2025-09-01T10:00:01.000Z","type":"platform.report","record":{"requestId":"r-2","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":21},"status":"success"}}""");

        var reports = ReportLine.ParseFile(text);

        Assert.Equal(new[] { "6d9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b", "r-2" }, reports.Select(r => r.RequestId));
    }

    [Fact]
    public void A_file_without_reports_yields_none()
    {
        Assert.Empty(ReportLine.ParseFile("START RequestId: x Version: $LATEST\nEND RequestId: x\n"));
    }

    private static ReportLine Parsed(string line)
    {
        Assert.True(ReportLine.TryParse(line, out var report), $"Not read as a report: {line}");
        return report;
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    [Fact]
    public void An_emulated_local_line_keeps_Lambdas_fields_and_names_its_emulator()
    {
        // Arrange: what an arm64 instance run under qemu here reports.
        var local = new InvocationReport("r-1",
            InvocationOutcome.Success([], DateTimeOffset.UtcNow), 12.5, 256, 331, 40.2) { Emulator = "qemu-aarch64" };

        // Act
        var parsed = ReportLine.TryParse(local.ReportLine, out var report);

        // Assert
        Assert.EndsWith("\tEmulated: qemu-aarch64", local.ReportLine, StringComparison.Ordinal);
        Assert.True(parsed);
        Assert.Equal((256, 331, 40.2), (report!.MemorySizeMb, report.MaxMemoryUsedMb, report.InitDurationMs));
        Assert.Equal("qemu-aarch64", report.Emulator);
        Assert.False(ReportLine.TryParse(ColdLine, out var lambdas) && lambdas.Emulator is not null, "Lambda's own lines are not emulated.");
    }

    [Fact]
    public void Figures_from_emulated_lines_say_so()
    {
        // Act
        var results = ModeResult.FromReports(ReportLine.ParseFile(ColdLine.TrimEnd('\t') + "\tEmulated: qemu-aarch64\n"));

        // Assert
        Assert.StartsWith("emulated: qemu-aarch64", results.Single().Cpu, StringComparison.Ordinal);
        Assert.Equal("deployed (Lambda)", ModeResult.FromReports(ReportLine.ParseFile(ColdLine)).Single().Cpu);
    }
}
