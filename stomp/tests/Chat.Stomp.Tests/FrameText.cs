using System.Buffers;
using System.Text;

namespace Chat.Stomp.Tests;

/// <summary>Helpers to write frames as the spec prints them (^@ is NUL) and to parse them in one or many segments.</summary>
internal static class FrameText
{
    public static byte[] Bytes(string specText) => Encoding.UTF8.GetBytes(specText.Replace("^@", "\0"));

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes).Replace("\0", "^@");

    /// <summary>Parses every frame in the input, fed one chunk at a time (as a pipe would), heart-beats counted.</summary>
    public static (List<StompFrame> Frames, int HeartBeats) ParseAll(byte[] input, int chunkSize = int.MaxValue, StompFrameLimits? limits = null, bool escaped = true)
    {
        var parser = new StompFrameParser(limits ?? StompFrameLimits.Default);
        var frames = new List<StompFrame>();
        var heartBeats = 0;
        var pending = new List<byte>();
        for (var start = 0; start < input.Length; start += chunkSize)
        {
            pending.AddRange(input.AsSpan(start, Math.Min(chunkSize, input.Length - start)).ToArray());
            var buffer = Segmented(pending.ToArray(), 3);
            while (true)
            {
                var result = parser.TryRead(ref buffer, escaped, out var frame);
                if (result == StompReadResult.Incomplete)
                {
                    break;
                }

                if (result == StompReadResult.Frame)
                {
                    frames.Add(frame!);
                }
                else
                {
                    heartBeats++;
                }
            }

            pending = [.. buffer.ToArray()];
        }

        return (frames, heartBeats);
    }

    public static StompFrame ParseOne(string specText, bool escaped = true)
    {
        var (frames, _) = ParseAll(Bytes(specText), escaped: escaped);
        return Assert.Single(frames);
    }

    public static string Write(StompFrame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        StompFrameWriter.Write(output, frame);
        return Text(output.WrittenSpan);
    }

    /// <summary>The bytes as a sequence of segments of at most <paramref name="segmentSize"/> bytes.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        if (bytes.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bytes.Length; i += segmentSize)
        {
            var memory = bytes.AsMemory(i, Math.Min(segmentSize, bytes.Length - i));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
