using System.Text;
using static Chat.Stomp.Tests.FrameText;

namespace Chat.Stomp.Tests;

/// <summary>Every example frame of the STOMP 1.2 specification, parsed (and the server's ones written) as printed there.</summary>
public class StompSpecExampleTests
{
    [Fact]
    public void Send_with_text_body_keeps_the_trailing_newline_in_the_body()
    {
        var frame = ParseOne("SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\n^@");
        Assert.Equal(StompCommand.Send, frame.Command);
        Assert.Equal("/queue/a", frame["destination"]);
        Assert.Equal("text/plain", frame["content-type"]);
        Assert.Equal("hello queue a\n", Encoding.UTF8.GetString(frame.Body.Span));
    }

    [Fact]
    public void Repeated_header_entries_the_first_one_counts()
    {
        var frame = ParseOne("MESSAGE\nfoo:World\nfoo:Hello\n\n^@");
        Assert.Equal("World", frame["foo"]);
        Assert.Equal(2, frame.Headers.Count);
    }

    [Fact]
    public void Connect_and_its_connected_answer()
    {
        var connect = ParseOne("CONNECT\naccept-version:1.2\nhost:stomp.github.org\n\n^@");
        Assert.Equal(StompCommand.Connect, connect.Command);
        Assert.Equal("stomp.github.org", connect["host"]);
        Assert.Equal(StompVersion.V12, StompVersion.Negotiate(connect["accept-version"]));
        Assert.Equal("CONNECTED\nversion:1.2\n\n^@", Write(new StompFrame(StompCommand.Connected, new KeyValuePair<string, string>("version", "1.2"))));
    }

    [Fact]
    public void Protocol_negotiation_picks_the_highest_common_version()
    {
        var connect = ParseOne("CONNECT\naccept-version:1.0,1.1,2.0\nhost:stomp.github.org\n\n^@");
        Assert.Equal(StompVersion.V11, StompVersion.Negotiate(connect["accept-version"]));
        Assert.Equal(StompVersion.V10, StompVersion.Negotiate(null));
    }

    [Fact]
    public void No_common_version_is_an_error_that_lists_the_supported_ones()
    {
        var error = ParseOne("ERROR\nversion:1.2,2.1\ncontent-type:text/plain\n\nSupported protocol versions are 1.2 2.1^@");
        Assert.Equal("1.2,2.1", error["version"]);
        Assert.Equal("Supported protocol versions are 1.2 2.1", Encoding.UTF8.GetString(error.Body.Span));
        var refused = Assert.Throws<StompProtocolException>(() => StompVersion.Negotiate("2.0,2.1"));
        Assert.Contains("1.2", refused.Message);
    }

    [Theory]
    [InlineData("SUBSCRIBE\nid:0\ndestination:/queue/foo\nack:client\n\n^@", StompCommand.Subscribe, "id", "0")]
    [InlineData("UNSUBSCRIBE\nid:0\n\n^@", StompCommand.Unsubscribe, "id", "0")]
    [InlineData("ACK\nid:12345\ntransaction:tx1\n\n^@", StompCommand.Ack, "id", "12345")]
    [InlineData("NACK\nid:12345\ntransaction:tx1\n\n^@", StompCommand.Nack, "transaction", "tx1")]
    [InlineData("BEGIN\ntransaction:tx1\n\n^@", StompCommand.Begin, "transaction", "tx1")]
    [InlineData("COMMIT\ntransaction:tx1\n\n^@", StompCommand.Commit, "transaction", "tx1")]
    [InlineData("ABORT\ntransaction:tx1\n\n^@", StompCommand.Abort, "transaction", "tx1")]
    [InlineData("DISCONNECT\nreceipt:77\n\n^@", StompCommand.Disconnect, "receipt", "77")]
    [InlineData("RECEIPT\nreceipt-id:77\n\n^@", StompCommand.Receipt, "receipt-id", "77")]
    [InlineData("SEND\ndestination:/queue/a\nreceipt:message-12345\n\nhello queue a^@", StompCommand.Send, "receipt", "message-12345")]
    [InlineData("RECEIPT\nreceipt-id:message-12345\n\n^@", StompCommand.Receipt, "receipt-id", "message-12345")]
    [InlineData("STOMP\naccept-version:1.2\nhost:stomp.github.org\n\n^@", StompCommand.Stomp, "accept-version", "1.2")]
    public void Client_and_server_frame_examples(string text, StompCommand command, string header, string value)
    {
        var frame = ParseOne(text);
        Assert.Equal(command, frame.Command);
        Assert.Equal(value, frame[header]);
    }

    [Fact]
    public void Message_example_is_written_as_printed_with_content_length()
    {
        var frame = ParseOne("MESSAGE\nsubscription:0\nmessage-id:007\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a^@");
        Assert.Equal("007", frame["message-id"]);
        Assert.Equal(
            "MESSAGE\nsubscription:0\nmessage-id:007\ndestination:/queue/a\ncontent-type:text/plain\ncontent-length:13\n\nhello queue a^@",
            Write(frame));
    }

    [Fact]
    public void Error_example_with_content_length_and_a_message_header_that_keeps_its_space()
    {
        const string body = "The message:\n-----\nMESSAGE\ndestined:/queue/a\nreceipt:message-12345\n\nHello queue a!\n-----\nDid not contain a destination header, which is REQUIRED\nfor message propagation.\n";
        var text = $"ERROR\nreceipt-id:message-12345\ncontent-type:text/plain\ncontent-length:{Encoding.UTF8.GetByteCount(body)}\nmessage: malformed frame received\n\n{body}^@";
        var frame = ParseOne(text);
        Assert.Equal(" malformed frame received", frame["message"]);
        Assert.Equal("message-12345", frame["receipt-id"]);
        Assert.Equal(body, Encoding.UTF8.GetString(frame.Body.Span));
    }

    [Fact]
    public void Heart_beat_example_negotiation()
    {
        // CONNECT heart-beat:<cx>,<cy> / CONNECTED heart-beat:<sx>,<sy>: server sends every MAX(sx,cy), expects every MAX(cx,sy).
        var negotiated = StompHeartBeat.Negotiate(StompHeartBeat.Parse("1000,5000"), 10_000, 2_000);
        Assert.Equal(TimeSpan.FromMilliseconds(10_000), negotiated.SendEvery);
        Assert.Equal(TimeSpan.FromMilliseconds(2_000), negotiated.ExpectEvery);
        Assert.Equal(StompHeartBeat.None, StompHeartBeat.Negotiate(StompHeartBeat.Parse(null), 10_000, 10_000));
        Assert.Equal(StompHeartBeat.None, StompHeartBeat.Negotiate(StompHeartBeat.Parse("0,0"), 10_000, 10_000));
        Assert.Equal(TimeSpan.Zero, StompHeartBeat.Negotiate(StompHeartBeat.Parse("1000,0"), 0, 0).ExpectEvery);
        Assert.Throws<StompProtocolException>(() => StompHeartBeat.Parse("-1,5"));
        Assert.Throws<StompProtocolException>(() => StompHeartBeat.Parse("1000"));
    }
}
