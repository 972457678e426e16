using System.Buffers;
using System.Globalization;

namespace Chat.Stomp;

/// <summary>What <see cref="StompFrameParser.TryRead"/> found at the start of the buffer.</summary>
public enum StompReadResult
{
    /// <summary>Not a whole frame yet: keep the buffer and read more.</summary>
    Incomplete,

    /// <summary>One or more end-of-lines outside a frame (a heart-beat) were consumed.</summary>
    HeartBeat,

    /// <summary>A whole frame was consumed.</summary>
    Frame,
}

/// <summary>
/// Incremental STOMP 1.2 frame parser over <see cref="ReadOnlySequence{T}"/> (a pipe's buffer): frames may span
/// several segments, several frames may share one buffer. It allocates only the frame, its header strings (known
/// names are interned) and a copy of the body. Every violation throws <see cref="StompProtocolException"/>;
/// nothing else escapes for any input.
/// </summary>
public sealed class StompFrameParser(StompFrameLimits limits)
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';

    public StompFrameLimits Limits { get; } = limits;

    /// <summary>
    /// Reads one heart-beat or one frame from the start of <paramref name="buffer"/> and slices it off.
    /// <paramref name="escapedHeaders"/> is false in a STOMP 1.0 session (no escaping there).
    /// </summary>
    public StompReadResult TryRead(ref ReadOnlySequence<byte> buffer, bool escapedHeaders, out StompFrame? frame)
    {
        frame = null;
        var reader = new SequenceReader<byte>(buffer);
        if (SkipEndOfLines(ref reader))
        {
            buffer = buffer.Slice(reader.Position);
            return StompReadResult.HeartBeat;
        }

        if (reader.End)
        {
            return StompReadResult.Incomplete;
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> commandLine, Lf))
        {
            if (reader.Remaining > StompCommands.MaxLength + 1)
            {
                throw new StompProtocolException("Malformed frame: unknown command");
            }

            return StompReadResult.Incomplete;
        }

        var command = ParseCommand(commandLine);
        var unescape = escapedHeaders && StompCommands.EscapesHeaders(command);
        var headers = new List<KeyValuePair<string, string>>(4);
        int? contentLength = null;
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, Lf))
            {
                if (reader.UnreadSequence.Length > Limits.MaxHeaderLineBytes + 1)
                {
                    throw new StompProtocolException($"Header line exceeds {Limits.MaxHeaderLineBytes} bytes", StompFault.Limit);
                }

                return Incomplete(buffer);
            }

            CheckFrameSize(reader.Consumed);
            if (line.Length > Limits.MaxHeaderLineBytes + 1)
            {
                throw new StompProtocolException($"Header line exceeds {Limits.MaxHeaderLineBytes} bytes", StompFault.Limit);
            }

            if (line.Length == 0 || (line.Length == 1 && line.FirstSpan[0] == Cr))
            {
                break;
            }

            if (headers.Count == Limits.MaxHeaders)
            {
                throw new StompProtocolException($"Frame has more than {Limits.MaxHeaders} headers", StompFault.Limit);
            }

            var header = ParseHeader(line, unescape);
            headers.Add(header);
            if (contentLength is null && header.Key == StompHeaders.ContentLength)
            {
                contentLength = ParseContentLength(header.Value);
            }
        }

        ReadOnlySequence<byte> body;
        if (contentLength is { } length)
        {
            CheckFrameSize(reader.Consumed + length + 1);
            if (reader.Remaining < length + 1)
            {
                return Incomplete(buffer);
            }

            body = reader.UnreadSequence.Slice(0, length);
            reader.Advance(length);
            reader.TryRead(out var terminator);
            if (terminator != 0)
            {
                throw new StompProtocolException("Malformed frame: the body is not followed by NUL after content-length octets");
            }
        }
        else if (!reader.TryReadTo(out body, 0))
        {
            return Incomplete(buffer);
        }

        CheckFrameSize(reader.Consumed);
        frame = new StompFrame(command, headers, body.IsEmpty ? ReadOnlyMemory<byte>.Empty : body.ToArray());
        buffer = buffer.Slice(reader.Position);
        return StompReadResult.Frame;
    }

    /// <summary>Consumes LF and CR LF; true when at least one was there. A CR not followed by LF is malformed.</summary>
    private static bool SkipEndOfLines(ref SequenceReader<byte> reader)
    {
        var any = false;
        while (reader.TryPeek(out var b))
        {
            if (b == Lf)
            {
                reader.Advance(1);
            }
            else if (b == Cr)
            {
                if (!reader.TryPeek(1, out var next))
                {
                    break;
                }

                if (next != Lf)
                {
                    throw new StompProtocolException("Malformed frame: CR not followed by LF");
                }

                reader.Advance(2);
            }
            else
            {
                break;
            }

            any = true;
        }

        return any;
    }

    private static StompCommand ParseCommand(ReadOnlySequence<byte> line)
    {
        if (line.Length > StompCommands.MaxLength + 1)
        {
            throw new StompProtocolException("Malformed frame: unknown command");
        }

        Span<byte> name = stackalloc byte[(int)line.Length];
        line.CopyTo(name);
        if (name.Length > 0 && name[^1] == Cr)
        {
            name = name[..^1];
        }

        return StompCommands.TryParse(name, out var command)
            ? command
            : throw new StompProtocolException("Malformed frame: unknown command");
    }

    private static KeyValuePair<string, string> ParseHeader(ReadOnlySequence<byte> line, bool unescape)
    {
        var rented = line.IsSingleSegment ? null : ArrayPool<byte>.Shared.Rent((int)line.Length);
        try
        {
            ReadOnlySpan<byte> span;
            if (rented is null)
            {
                span = line.FirstSpan;
            }
            else
            {
                line.CopyTo(rented);
                span = rented.AsSpan(0, (int)line.Length);
            }

            if (span[^1] == Cr)
            {
                span = span[..^1];
            }

            var colon = span.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new StompProtocolException(colon == 0 ? "Malformed header: empty name" : "Malformed header: missing ':'");
            }

            return new KeyValuePair<string, string>(
                StompHeaderEscaping.Decode(span[..colon], unescape),
                StompHeaderEscaping.Decode(span[(colon + 1)..], unescape));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private int ParseContentLength(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length <= Limits.MaxFrameBytes
                ? length
                : throw new StompProtocolException($"Frame exceeds {Limits.MaxFrameBytes} bytes", StompFault.Limit)
            : throw new StompProtocolException($"Malformed content-length '{value}'");

    private void CheckFrameSize(long bytes)
    {
        if (bytes > Limits.MaxFrameBytes)
        {
            throw new StompProtocolException($"Frame exceeds {Limits.MaxFrameBytes} bytes", StompFault.Limit);
        }
    }

    private StompReadResult Incomplete(ReadOnlySequence<byte> buffer)
    {
        CheckFrameSize(buffer.Length);
        return StompReadResult.Incomplete;
    }
}
