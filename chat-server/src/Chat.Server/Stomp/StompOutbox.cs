using System.Buffers;

namespace Chat.Server.Stomp;

/// <summary>
/// The bounded outgoing queue of one STOMP connection and its single writer loop. Frames are queued serialized
/// (room messages as parts shared with the other members, <see cref="StompOutgoing"/>); when the client cannot keep
/// up and the queue passes its frame or byte bound, the queue is dropped and only a final frame (the ERROR) goes out:
/// memory per connection stays bounded. An idle connection's queue holds no storage (a plain queue under the lock
/// every enqueue takes anyway, emptied back to nothing after a burst).
/// </summary>
public sealed class StompOutbox(int maxFrames, long maxBytes, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send)
{
    private const int KeptCapacity = 32;

    private readonly Queue<StompOutgoing> _queue = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _writerWaiting;
    private int _frames;
    private long _bytes;
    private bool _completed;
    private bool _grown;
    private long _lastSentTicks = Environment.TickCount64;

    /// <summary>Milliseconds (Environment.TickCount64) of the last frame or heart-beat written.</summary>
    public long LastSentTicks => Interlocked.Read(ref _lastSentTicks);

    /// <summary>Frames queued or being written.</summary>
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
            AddLocked(frame);
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
                _queue.Clear();
                _frames = 0;
                _bytes = 0;
            }

            if (lastFrame is not null)
            {
                AddLocked(StompOutgoing.Frame(lastFrame));
            }

            WakeWriterLocked();
        }
    }

    /// <summary>Writes queued frames until <see cref="Complete"/> and the queue is empty, or the token is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            StompOutgoing frame;
            Task? wait = null;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out frame))
                {
                    if (_completed)
                    {
                        return;
                    }

                    wait = (_writerWaiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
                else if (_grown && _queue.Count == 0)
                {
                    _queue.TrimExcess();
                    _grown = false;
                }
            }

            if (wait is not null)
            {
                await wait.WaitAsync(cancellationToken);
                continue;
            }

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

    private void AddLocked(StompOutgoing frame)
    {
        _queue.Enqueue(frame);
        _grown |= _queue.Count > KeptCapacity;
        WakeWriterLocked();
    }

    private void WakeWriterLocked()
    {
        _writerWaiting?.TrySetResult();
        _writerWaiting = null;
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
