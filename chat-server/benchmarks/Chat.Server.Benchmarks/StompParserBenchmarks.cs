using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Chat.Stomp;

namespace Chat.Server.Benchmarks;

/// <summary>
/// Parser throughput on the Spring demo's SEND frames (as @stomp/stompjs writes them), 1,000 frames per buffer:
/// the mean is per frame (frames/s = 1 s / mean), Allocated is bytes per frame.
/// </summary>
[MemoryDiagnoser]
public class StompParserBenchmarks
{
    private const int FramesPerBuffer = 1000;
    private readonly StompFrameParser _parser = new(StompFrameLimits.Default);
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _segmented;

    [GlobalSetup]
    public void Setup()
    {
        var frames = new StringBuilder();
        for (var i = 0; i < FramesPerBuffer; i++)
        {
            var body = $"{{\"sender\":\"alice\",\"content\":\"message number {i} from the benchmark\",\"type\":\"CHAT\"}}";
            frames.Append("SEND\ndestination:/app/chat.sendMessage\ncontent-type:application/json\n")
                .Append("content-length:").Append(Encoding.UTF8.GetByteCount(body)).Append("\n\n").Append(body).Append('\0');
        }

        var bytes = Encoding.UTF8.GetBytes(frames.ToString());
        _contiguous = new ReadOnlySequence<byte>(bytes);
        _segmented = Segments.Of(bytes, 4096);
    }

    [Benchmark(OperationsPerInvoke = FramesPerBuffer, Baseline = true)]
    public int ParseContiguous() => ParseAll(_contiguous);

    /// <summary>The same frames in 4 KiB segments (as a pipe delivers them): frames straddle segment boundaries.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerBuffer)]
    public int ParseSegmented() => ParseAll(_segmented);

    private int ParseAll(ReadOnlySequence<byte> buffer)
    {
        var count = 0;
        while (_parser.TryRead(ref buffer, true, out _) != StompReadResult.Incomplete)
        {
            count++;
        }

        return count;
    }
}
