using Chat.LoadTest.Clients.Stomp;

namespace Chat.LoadTest.Tests;

public sealed class StompFrameTests
{
    [Fact]
    public void Header_values_are_escaped_and_read_back()
    {
        var frame = new StompFrame("SEND", new Dictionary<string, string> { ["destination"] = "/app/x", ["x-note"] = "a:b\nc\\d" }, "{\"content\":\"hi\"}");
        var wire = frame.Serialize();

        Assert.EndsWith("\0", wire);
        Assert.Contains("x-note:a\\cb\\nc\\\\d\n", wire);
        var parsed = StompFrame.Parse(wire.TrimEnd('\0'))!;
        Assert.Equal("SEND", parsed.Command);
        Assert.Equal("a:b\nc\\d", parsed.Header("x-note"));
        Assert.Equal("{\"content\":\"hi\"}", parsed.Body);
    }

    [Fact]
    public void Frames_split_over_messages_and_heart_beats_between_them_are_reassembled()
    {
        var buffer = new StompFrameBuffer();
        Assert.Empty(buffer.Append("\n"));
        Assert.Empty(buffer.Append("MESSAGE\nx-offset:4\nx-epoch:e\n\n{\"a\""));
        var frames = buffer.Append(":1}\0\nRECEIPT\r\nreceipt-id:7\r\n\r\n\0\n").ToArray();

        Assert.Equal(["MESSAGE", "RECEIPT"], frames.Select(f => f.Command));
        Assert.Equal("4", frames[0].Header("x-offset"));
        Assert.Equal("{\"a\":1}", frames[0].Body);
        Assert.Equal("7", frames[1].Header("receipt-id"));
    }

    [Fact]
    public void Destinations_follow_the_spring_demo_for_the_public_room()
    {
        Assert.Equal("/topic/public", StompDestinations.Topic("public"));
        Assert.Equal("/app/chat.sendMessage", StompDestinations.SendMessage("public"));
        Assert.Equal("/topic/room/r1", StompDestinations.Topic("r1"));
        Assert.Equal("/app/room/r1/chat.addUser", StompDestinations.AddUser("r1"));
    }
}
