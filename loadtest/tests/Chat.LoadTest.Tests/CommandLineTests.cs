using Chat.LoadTest.Cli;

namespace Chat.LoadTest.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:02:00", 120)]
    public void Durations_are_read_as_people_type_them(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds);
    }

    [Theory]
    [InlineData("3x")]
    [InlineData("5m junk")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Theory]
    [InlineData("local", "connect", "--connections", "0")]
    [InlineData("local", "fanout", "--rooms", "50", "--connections", "10")]
    [InlineData("local", "connect", "--stomp-ratio", "1.5")]
    [InlineData("local", "soak", "--duration", "100h")]
    [InlineData("fanout", "--target", "not-a-url")]
    [InlineData("fanout")]
    [InlineData("local", "fanout", "--source-addresses", "127.0.0.8-127.0.0.1")]
    [InlineData("local", "fanout", "--generators", "3", "--rooms", "2", "--connections", "10")]
    [InlineData("local", "fanout", "--generators", "2", "--generator-index", "2")]
    [InlineData("fanout", "--target", "http://localhost/", "--start-at", "soon")]
    public async Task Bad_input_is_refused_before_anything_starts(params string[] args)
    {
        var exitCode = await LoadTestCommands.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration
        {
            Output = TextWriter.Null,
            Error = TextWriter.Null,
        });
        Assert.NotEqual(0, exitCode);
    }
}
