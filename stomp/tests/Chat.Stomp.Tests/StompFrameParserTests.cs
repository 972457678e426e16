using System.Text;
using static Chat.Stomp.Tests.FrameText;

namespace Chat.Stomp.Tests;

public class StompFrameParserTests
{
    private const string Two = "SEND\ndestination:/a\n\none^@\n\nSEND\r\ndestination:/b\r\n\r\ntwo^@\r\n";

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public void Several_frames_in_one_buffer_or_one_frame_split_over_many(int chunkSize)
    {
        var (frames, heartBeats) = ParseAll(Bytes("\n" + Two), chunkSize);
        Assert.Equal(["/a", "/b"], frames.Select(f => f["destination"]));
        Assert.Equal(["one", "two"], frames.Select(f => Encoding.UTF8.GetString(f.Body.Span)));
        Assert.True(heartBeats >= 2);
    }

    [Fact]
    public void Content_length_reads_nul_octets_inside_the_body()
    {
        var body = new byte[] { 1, 0, 2, 0, 0, 3 };
        var input = Bytes("SEND\ndestination:/a\ncontent-length:6\n\n").Concat(body).Concat(Bytes("^@")).ToArray();
        foreach (var chunk in new[] { int.MaxValue, 1, 4 })
        {
            var frame = Assert.Single(ParseAll(input, chunk).Frames);
            Assert.Equal(body, frame.Body.ToArray());
        }
    }

    [Fact]
    public void Content_length_must_be_followed_by_nul()
    {
        var error = Assert.Throws<StompProtocolException>(() => ParseOne("SEND\ndestination:/a\ncontent-length:2\n\nabc^@"));
        Assert.Contains("NUL", error.Message);
    }

    [Theory]
    [InlineData("content-length:-1")]
    [InlineData("content-length:abc")]
    [InlineData("content-length: 3")]
    public void Malformed_content_length_is_refused(string header) =>
        Assert.Contains("content-length", Assert.Throws<StompProtocolException>(() => ParseOne($"SEND\n{header}\n\nabc^@")).Message);

    [Fact]
    public void Escapes_are_decoded_in_ordinary_frames()
    {
        var frame = ParseOne("SEND\ndestination:/a\nx-key\\cpart:line1\\nline2\\r\\\\end\n\n^@");
        Assert.Equal("line1\nline2\r\\end", frame["x-key:part"]);
    }

    [Fact]
    public void Connect_frames_and_stomp_1_0_sessions_are_not_unescaped()
    {
        Assert.Equal("a\\nb", ParseOne("CONNECT\nlogin:a\\nb\n\n^@")["login"]);
        Assert.Equal("a\\tb", ParseOne("SEND\ndestination:a\\tb\n\n^@", escaped: false)["destination"]);
    }

    [Theory]
    [InlineData("SEND\ndestination:/a\\t\n\n^@", "\\t")]
    [InlineData("SEND\ndestination:/a\\\n\n^@", "backslash")]
    public void Undefined_escapes_are_fatal(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<StompProtocolException>(() => ParseOne(text)).Message);

    [Theory]
    [InlineData("HELLO\n\n^@", "unknown command")]
    [InlineData("send\n\n^@", "unknown command")]
    [InlineData("SENDSENDSENDSEND\n\n^@", "unknown command")]
    [InlineData("SEND\ndestination\n\n^@", "missing ':'")]
    [InlineData("SEND\n:value\n\n^@", "empty name")]
    [InlineData("\rSEND\n\n^@", "CR")]
    public void Malformed_commands_and_headers_are_refused(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<StompProtocolException>(() => ParseOne(text)).Message);

    [Fact]
    public void A_command_line_without_end_is_refused_once_it_cannot_be_a_command() =>
        Assert.Throws<StompProtocolException>(() => ParseAll(Bytes("GET / HTTP/1.1 and more")));

    [Fact]
    public void Invalid_utf8_in_a_header_is_refused()
    {
        var input = Bytes("SEND\ndestination:/a").Concat(new byte[] { 0xC3, 0x28 }).Concat(Bytes("\n\n^@")).ToArray();
        var error = Assert.Throws<StompProtocolException>(() => ParseAll(input));
        Assert.Equal(StompFault.InvalidUtf8, error.Fault);
    }

    [Fact]
    public void Utf8_headers_and_bodies_survive_the_round_trip()
    {
        var frame = new StompFrame(StompCommand.Message, [new("destination", "/topic/héllo:wörld\n😀"), new("x", "\\")], Encoding.UTF8.GetBytes("body ✓"));
        var written = Write(frame);
        Assert.Contains("destination:/topic/héllo\\cwörld\\n😀", written);
        var parsed = ParseOne(written);
        Assert.Equal("/topic/héllo:wörld\n😀", parsed["destination"]);
        Assert.Equal("\\", parsed["x"]);
        Assert.Equal("body ✓", Encoding.UTF8.GetString(parsed.Body.Span));
    }

    [Fact]
    public void Connected_headers_are_written_unescaped() =>
        Assert.Equal("CONNECTED\nserver:a:b\n\n^@", Write(new StompFrame(StompCommand.Connected, new KeyValuePair<string, string>("server", "a:b"))));

    [Fact]
    public void Limits_frame_size_header_count_and_header_line()
    {
        var limits = new StompFrameLimits(MaxFrameBytes: 256, MaxHeaders: 3, MaxHeaderLineBytes: 64);
        var tooMany = Assert.Throws<StompProtocolException>(() => ParseAll(Bytes("SEND\na:1\nb:2\nc:3\nd:4\n\n^@"), limits: limits));
        Assert.Contains("more than 3 headers", tooMany.Message);
        var longLine = Assert.Throws<StompProtocolException>(() => ParseAll(Bytes($"SEND\na:{new string('x', 100)}\n\n^@"), limits: limits));
        Assert.Contains("Header line exceeds 64", longLine.Message);
        var longUnfinishedLine = Assert.Throws<StompProtocolException>(() => ParseAll(Bytes($"SEND\na:{new string('x', 100)}"), 10, limits));
        Assert.Equal(StompFault.Limit, longUnfinishedLine.Fault);
        var bigBody = Assert.Throws<StompProtocolException>(() => ParseAll(Bytes($"SEND\n\n{new string('x', 300)}^@"), limits: limits));
        Assert.Contains("exceeds 256", bigBody.Message);
        var bigUnfinishedBody = Assert.Throws<StompProtocolException>(() => ParseAll(Bytes($"SEND\n\n{new string('x', 300)}"), 50, limits));
        Assert.Contains("exceeds 256", bigUnfinishedBody.Message);
        var bigDeclared = Assert.Throws<StompProtocolException>(() => ParseAll(Bytes("SEND\ncontent-length:100000\n\n"), limits: limits));
        Assert.Contains("exceeds 256", bigDeclared.Message);
    }

    [Fact]
    public void An_incomplete_frame_consumes_nothing()
    {
        var parser = new StompFrameParser(StompFrameLimits.Default);
        var input = Bytes("SEND\ndestination:/a\n\nhal");
        var buffer = Segmented(input, 4);
        Assert.Equal(StompReadResult.Incomplete, parser.TryRead(ref buffer, true, out var frame));
        Assert.Null(frame);
        Assert.Equal(input.Length, buffer.Length);
    }
}
