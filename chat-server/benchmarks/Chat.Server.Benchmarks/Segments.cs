using System.Buffers;

namespace Chat.Server.Benchmarks;

/// <summary>A byte array as a multi-segment sequence.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bytes.Length; i += size)
        {
            var next = new Segment(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), last is null ? 0 : last.RunningIndex + last.Memory.Length);
            if (last is null)
            {
                first = next;
            }
            else
            {
                last.SetNext(next);
            }

            last = next;
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

        public void SetNext(Segment next) => Next = next;
    }
}
