using System.Buffers;
using System.Buffers.Text;

namespace Chat.Stomp;

/// <summary>
/// Writes STOMP frames to an <see cref="IBufferWriter{T}"/>: command, headers (escaped except in CONNECTED),
/// content-length whenever there is a body, the body and the NUL terminator. Used piecewise
/// (<see cref="WriteCommand"/>, <see cref="WriteHeader(IBufferWriter{byte}, string, string, bool)"/>,
/// <see cref="WriteBody"/>) on hot paths, or whole with <see cref="Write"/>.
/// </summary>
public static class StompFrameWriter
{
    public static void Write(IBufferWriter<byte> output, StompFrame frame)
    {
        var escape = StompCommands.EscapesHeaders(frame.Command);
        WriteCommand(output, frame.Command);
        foreach (var (name, value) in frame.Headers)
        {
            if (name != StompHeaders.ContentLength)
            {
                WriteHeader(output, name, value, escape);
            }
        }

        WriteBody(output, frame.Body.Span);
    }

    public static void WriteCommand(IBufferWriter<byte> output, StompCommand command)
    {
        output.Write(StompCommands.Utf8Name(command));
        output.Write("\n"u8);
    }

    public static void WriteHeader(IBufferWriter<byte> output, string name, string value, bool escape = true)
    {
        StompHeaderEscaping.Encode(output, name, escape);
        output.Write(":"u8);
        StompHeaderEscaping.Encode(output, value, escape);
        output.Write("\n"u8);
    }

    public static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8Name, long value)
    {
        output.Write(utf8Name);
        output.Write(":"u8);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
        output.Write("\n"u8);
    }

    /// <summary>Ends the headers (with content-length when there is a body), writes the body and the NUL.</summary>
    public static void WriteBody(IBufferWriter<byte> output, ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty)
        {
            WriteHeader(output, "content-length"u8, body.Length);
        }

        output.Write("\n"u8);
        output.Write(body);
        output.Write("\0"u8);
    }
}
