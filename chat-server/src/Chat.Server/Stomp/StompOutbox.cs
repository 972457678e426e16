using System.Buffers;
using System.Threading.Channels;

namespace Chat.Server.Stomp;

/// <summary>
/// The bounded outgoing queue of one STOMP connection and its single writer loop. Frames are queued serialized
/// (room messages as parts shared with the other members, <see cref="StompOutgoing"/>); when the client cannot keep up and the queue passes its frame or byte bound, the queue
/// is dropped and only a final frame (the ERROR) goes out: memory per connection stays bounded.
/// </summary>
public sealed class StompOutbox(int maxFrames, long maxBytes, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send)
{
    private readonly Channel<StompOutgoing> _channel = Channel.CreateUnbounded<StompOutgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private int _frames;
    private long _bytes;
    private bool _completed;
    private long _lastSentTicks = Environment.TickCount64;

    /// <summary>Milliseconds (Environment.TickCount64) of the last frame or heart-beat written.</summary>
    public long LastSentTicks => Interlocked.Read(ref _lastSentTicks);

    public int QueuedFrames
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    /// <summary>Queues a frame; false when the bounds are exceeded (a slow consumer). After completion frames are ignored.</summary>
    public bool TryEnqueue(byte[] frame) => TryEnqueue(StompOutgoing.Frame(frame));

    /// <inheritdoc cref="TryEnqueue(byte[])"/>
    public bool TryEnqueue(StompOutgoing frame)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return true;
            }

            if (_frames + 1 > maxFrames || _bytes + frame.Length > maxBytes)
            {
                return false;
            }

            _frames++;
            _bytes += frame.Length;
            _channel.Writer.TryWrite(frame);
            return true;
        }
    }

    /// <summary>No more frames after this one; with <paramref name="dropQueued"/> what is still queued is thrown away first.</summary>
    public void Complete(byte[]? lastFrame, bool dropQueued)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (dropQueued)
            {
                while (_channel.Reader.TryRead(out _))
                {
                }

                _frames = 0;
                _bytes = 0;
            }

            if (lastFrame is not null)
            {
                _channel.Writer.TryWrite(StompOutgoing.Frame(lastFrame));
            }

            _channel.Writer.TryComplete();
        }
    }

    /// <summary>Writes queued frames until <see cref="Complete"/> and the queue is empty, or the token is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var frame in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            await SendAsync(frame, cancellationToken);
            Interlocked.Exchange(ref _lastSentTicks, Environment.TickCount64);
            lock (_gate)
            {
                if (_frames > 0)
                {
                    _frames--;
                    _bytes -= frame.Length;
                }
            }
        }
    }

    private async ValueTask SendAsync(StompOutgoing frame, CancellationToken cancellationToken)
    {
        if (frame.Head is null)
        {
            await send(frame.Bytes, cancellationToken);
            return;
        }

        // Rented for the write only: an idle connection holds no send buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        try
        {
            var length = StompServerFrames.WriteMessage(buffer, frame.Head, frame.MessageId, frame.WithAck, frame.Bytes);
            await send(buffer.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
