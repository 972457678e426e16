using System.Diagnostics;
using System.Text;

namespace Chat.Stomp.Tests;

/// <summary>
/// Random and mutated frames against the parser: nothing but <see cref="StompProtocolException"/> escapes, an
/// unfinished frame never grows past the frame limit, and memory stays bounded. Seeded, so a failure replays.
/// </summary>
public class StompFrameParserFuzzTests
{
    private const int Frames = 100_000;
    private static readonly StompFrameLimits Limits = new(MaxFrameBytes: 2048, MaxHeaders: 8, MaxHeaderLineBytes: 256);
    private static readonly string[] Commands = ["CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT", "MESSAGE", "ERROR", "RECEIPT", "CONNECTED", "SEN", "XYZ", ""];
    private static readonly string[] Names = ["destination", "id", "receipt", "content-type", "content-length", "ack", "transaction", "x-epoch", "héader", "a\\cb", "k"];
    private static readonly string[] Values = ["/topic/public", "0", "text/plain", "7", "-1", "99999999999", "client", "a\\nb", "\\r\\\\", "\\t", "é😀", "", "x:y"];

    [Fact]
    public void Hundred_thousand_random_and_mutated_frames_only_ever_raise_protocol_errors()
    {
        var random = new Random(20260101);
        var parser = new StompFrameParser(Limits);
        var deadline = Stopwatch.StartNew();
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        int frames = 0, errors = 0;
        for (var i = 0; i < Frames; i++)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), $"fuzzing took too long at frame {i}");
            var input = Mutate(random, RandomFrame(random));
            var buffer = FrameText.Segmented(input, random.Next(1, 64));
            try
            {
                while (true)
                {
                    var result = parser.TryRead(ref buffer, random.Next(4) != 0, out var frame);
                    if (result == StompReadResult.Incomplete)
                    {
                        Assert.True(buffer.Length <= Limits.MaxFrameBytes, "an unfinished frame outgrew the frame limit");
                        break;
                    }

                    if (frame is not null)
                    {
                        frames++;
                        Assert.True(frame.Body.Length < Limits.MaxFrameBytes);
                        Assert.True(frame.Headers.Count <= Limits.MaxHeaders);
                    }
                }
            }
            catch (StompProtocolException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                errors++;
            }
        }

        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(frames > Frames / 10, $"only {frames} frames parsed: the generator is too destructive");
        Assert.True(errors > Frames / 10, $"only {errors} errors: the mutations are too gentle");
        Assert.True(memoryAfter - memoryBefore < 32 * 1024 * 1024, $"memory grew by {memoryAfter - memoryBefore} bytes");
    }

    private static byte[] RandomFrame(Random random)
    {
        var text = new StringBuilder();
        text.Append(Commands[random.Next(Commands.Length)]).Append(random.Next(5) == 0 ? "\r\n" : "\n");
        for (var h = random.Next(0, 6); h > 0; h--)
        {
            text.Append(Names[random.Next(Names.Length)]).Append(':').Append(Values[random.Next(Values.Length)]).Append('\n');
        }

        var body = new byte[random.Next(0, random.Next(10) == 0 ? 2500 : 40)];
        random.NextBytes(body);
        if (random.Next(2) == 0)
        {
            text.Append("content-length:").Append(body.Length).Append('\n');
        }
        else
        {
            body.AsSpan().Replace((byte)0, (byte)'x');
        }

        text.Append('\n');
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(body).Append((byte)0).ToList();
        if (random.Next(3) == 0)
        {
            bytes.AddRange("\n\r\n"u8.ToArray());
        }

        return [.. bytes];
    }

    private static byte[] Mutate(Random random, byte[] frame)
    {
        var bytes = frame.ToList();
        for (var m = random.Next(0, 4); m > 0 && bytes.Count > 0; m--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.Insert(at, (byte)"\n\r:\\\0c"[random.Next(6)]); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                case 4: bytes.InsertRange(at, bytes.Take(Math.Min(bytes.Count, 50)).ToArray()); break;
                default: bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(256), random.Next(1, 600))); break;
            }
        }

        return [.. bytes];
    }
}
