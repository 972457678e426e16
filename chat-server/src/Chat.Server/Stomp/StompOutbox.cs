using System.Buffers;

namespace Chat.Server.Stomp;

/// <summary>
/// The bounded outgoing queue of one STOMP connection. Whoever queues a frame while nothing is being written writes
/// it at once (the broker's fan-out loop writes to every idle member in turn, with no task or thread hop per member);
/// while a write waits on a slow socket, later frames queue behind it and go out in order from its continuation.
/// Frames are serialized already (room messages as parts shared with the other members, <see cref="StompOutgoing"/>).
/// When the client cannot keep up and the frames queued or in flight pass the frame or byte bound, the queue is
/// dropped and only a final frame (the ERROR) goes out: memory per connection stays bounded. An idle connection's
/// queue holds no storage (a plain queue under the lock, emptied back to nothing after a burst).
/// </summary>
public sealed class StompOutbox(int maxFrames, long maxBytes, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send)
{
    private const int KeptCapacity = 32;

    private readonly Queue<StompOutgoing> _queue = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _cancellation;
    private int _frames;
    private long _bytes;
    private bool _writing;
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
            if (!StartOrQueueLocked(frame))
            {
                return true;
            }
        }

        WriteFrom(frame);
        return true;
    }

    /// <summary>No more frames after this one; with <paramref name="dropQueued"/> what is still queued is thrown away first.</summary>
    public void Complete(byte[]? lastFrame, bool dropQueued)
    {
        var last = lastFrame is null ? default : StompOutgoing.Frame(lastFrame);
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (dropQueued)
            {
                // What is in flight stays counted until its write ends.
                foreach (var queued in _queue)
                {
                    _frames--;
                    _bytes -= queued.Length;
                }

                _queue.Clear();
            }

            if (lastFrame is null)
            {
                if (!_writing)
                {
                    _done.TrySetResult();
                }

                return;
            }

            _frames++;
            _bytes += last.Length;
            if (!StartOrQueueLocked(last))
            {
                return;
            }
        }

        WriteFrom(last);
    }

    /// <summary>
    /// Completes once <see cref="Complete"/> was called and everything queued is written; fails when a write fails or
    /// <paramref name="cancellationToken"/> (also handed to every write) is cancelled.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        return _done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>True: the caller writes <paramref name="frame"/> now; false: it was queued behind the write in progress.</summary>
    private bool StartOrQueueLocked(StompOutgoing frame)
    {
        if (_writing)
        {
            _queue.Enqueue(frame);
            _grown |= _queue.Count > KeptCapacity;
            return false;
        }

        _writing = true;
        return true;
    }

    /// <summary>Writes <paramref name="frame"/> and then what queued meanwhile, synchronously while writes complete at once.</summary>
    private void WriteFrom(StompOutgoing frame)
    {
        while (true)
        {
            ValueTask write;
            try
            {
                write = SendAsync(frame, _cancellation);
            }
            catch (Exception e)
            {
                Fail(e);
                return;
            }

            if (!write.IsCompletedSuccessfully)
            {
                _ = ContinueAfterAsync(write, frame);
                return;
            }

            if (!Written(frame, out frame))
            {
                return;
            }
        }
    }

    private async Task ContinueAfterAsync(ValueTask write, StompOutgoing frame)
    {
        try
        {
            await write;
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        if (Written(frame, out var next))
        {
            WriteFrom(next);
        }
    }

    /// <summary>Counts <paramref name="written"/> out; true with the next frame to write, false when none is left.</summary>
    private bool Written(StompOutgoing written, out StompOutgoing next)
    {
        Interlocked.Exchange(ref _lastSentTicks, Environment.TickCount64);
        lock (_gate)
        {
            _frames--;
            _bytes -= written.Length;
            if (_queue.TryDequeue(out next))
            {
                return true;
            }

            if (_grown)
            {
                _queue.TrimExcess();
                _grown = false;
            }

            _writing = false;
            if (_completed)
            {
                _done.TrySetResult();
            }

            return false;
        }
    }

    private void Fail(Exception error)
    {
        lock (_gate)
        {
            _completed = true;
            _queue.Clear();
            _frames = 0;
            _bytes = 0;
        }

        if (error is OperationCanceledException && _cancellation.IsCancellationRequested)
        {
            _done.TrySetCanceled(_cancellation);
        }
        else
        {
            _done.TrySetException(error);
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
