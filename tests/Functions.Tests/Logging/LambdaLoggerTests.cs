using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Functions.Logging;
using Functions.Runtime;

namespace Functions.Tests.Logging;

public sealed class LambdaLoggerTests
{
    private readonly StringWriter _output = new();

    [Fact]
    public void A_text_line_is_timestamp_request_id_level_and_message_separated_by_tabs()
    {
        // Arrange
        var logger = FromEnvironment();

        // Act
        logger.Write(LogLevel.Info, "req-1", "created item abc");

        // Assert
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\treq-1\tINFO\tcreated item abc\n$"), _output.ToString());
    }

    [Fact]
    public void A_text_line_outside_an_invocation_has_a_dash_for_the_request_id()
    {
        var logger = FromEnvironment();

        logger.Write(LogLevel.Fatal, null, "init failed");

        Assert.Equal(["-", "FATAL", "init failed\n"], _output.ToString().Split('\t')[1..]);
    }

    [Fact]
    public void A_multi_line_message_stays_one_text_line()
    {
        var logger = FromEnvironment();

        logger.Write(LogLevel.Error, "req-1", "first\nsecond\r\nthird");

        Assert.EndsWith("\tfirst\\nsecond\\r\\nthird\n", _output.ToString(), StringComparison.Ordinal);
        Assert.Single(_output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_timestamp_is_now_in_utc()
    {
        var logger = FromEnvironment();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        logger.Write(LogLevel.Info, "req-1", "x");

        var stamp = DateTimeOffset.Parse(_output.ToString().Split('\t')[0], CultureInfo.InvariantCulture);
        Assert.InRange(stamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Theory]
    [InlineData("JSON")]
    [InlineData("json")]
    public void With_AWS_LAMBDA_LOG_FORMAT_JSON_each_line_is_a_json_object(string format)
    {
        var logger = FromEnvironment((LambdaEnvironment.LogFormat, format));

        logger.Write(LogLevel.Warn, "req-1", "slow \"call\"\nretrying");

        var text = _output.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var line = JsonDocument.Parse(text);
        var root = line.RootElement;
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"), root.GetProperty("timestamp").GetString());
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("req-1", root.GetProperty("requestId").GetString());
        Assert.Equal("slow \"call\"\nretrying", root.GetProperty("message").GetString());
    }

    [Fact]
    public void A_json_line_outside_an_invocation_has_no_request_id()
    {
        var logger = FromEnvironment((LambdaEnvironment.LogFormat, "JSON"));

        logger.Write(LogLevel.Info, null, "starting");

        using var line = JsonDocument.Parse(_output.ToString());
        Assert.False(line.RootElement.TryGetProperty("requestId", out _));
    }

    [Fact]
    public void Any_other_format_is_text()
    {
        var logger = FromEnvironment((LambdaEnvironment.LogFormat, "Text"));

        logger.Write(LogLevel.Info, "req-1", "x");

        Assert.False(logger.Json);
        Assert.Contains("\treq-1\tINFO\tx", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_AWS_LAMBDA_LOG_LEVEL_info_and_above_are_written()
    {
        var logger = FromEnvironment();

        WriteEveryLevel(logger);

        Assert.Equal(["INFO", "WARN", "ERROR", "FATAL"], Levels());
    }

    [Theory]
    [InlineData("WARN", new[] { "WARN", "ERROR", "FATAL" })]
    [InlineData("error", new[] { "ERROR", "FATAL" })]
    [InlineData("Debug", new[] { "DEBUG", "INFO", "WARN", "ERROR", "FATAL" })]
    [InlineData("TRACE", new[] { "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" })]
    [InlineData("FATAL", new[] { "FATAL" })]
    public void AWS_LAMBDA_LOG_LEVEL_drops_the_lines_below_it(string level, string[] written)
    {
        var logger = FromEnvironment((LambdaEnvironment.LogLevel, level));

        WriteEveryLevel(logger);

        Assert.Equal(written, Levels());
    }

    [Fact]
    public void An_unknown_log_level_falls_back_to_info()
    {
        var logger = FromEnvironment((LambdaEnvironment.LogLevel, "LOUD"));

        Assert.Equal(LogLevel.Info, logger.Minimum);
    }

    [Fact]
    public void Level_filtering_applies_to_json_lines_too()
    {
        var logger = FromEnvironment((LambdaEnvironment.LogFormat, "JSON"), (LambdaEnvironment.LogLevel, "ERROR"));

        logger.Write(LogLevel.Warn, "req-1", "dropped");
        logger.Write(LogLevel.Error, "req-1", "kept");

        using var line = JsonDocument.Parse(_output.ToString());
        Assert.Equal("kept", line.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void A_request_logger_stamps_every_line_with_its_request_id()
    {
        var logger = FromEnvironment((LambdaEnvironment.LogLevel, "DEBUG"));
        var request = logger.For("req-9");

        request.Debug("d");
        request.Info("i");
        request.Warn("w");
        request.Error("e");

        var lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Equal("req-9", l.Split('\t')[1]));
    }

    private LambdaLogger FromEnvironment(params (string Name, string Value)[] variables) =>
        LambdaLogger.FromEnvironment(LambdaEnvironment.From(variables.ToDictionary(v => v.Name, v => v.Value)), _output);

    private static void WriteEveryLevel(LambdaLogger logger)
    {
        foreach (var level in Enum.GetValues<LogLevel>())
        {
            logger.Write(level, "req-1", level.ToString());
        }
    }

    private string[] Levels() =>
        _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[2]).ToArray();
}
