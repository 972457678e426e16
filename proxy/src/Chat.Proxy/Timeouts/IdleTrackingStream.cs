using System.Runtime.CompilerServices;

namespace Chat.Proxy.Timeouts;

/// <summary>
/// The client side of an upgraded connection, remembering when data last moved each way: what the client sends
/// (read from this stream) goes to the destination; what the destination sends is written to this stream.
/// </summary>
internal sealed class IdleTrackingStream(Stream inner, TimeProvider time, TimeSpan readTimeout, TimeSpan sendTimeout) : Stream
{
    private long _lastFromClient = time.GetTimestamp();
    private long _lastFromDestination = time.GetTimestamp();

    public bool IsIdle(long now) =>
        time.GetElapsedTime(Volatile.Read(ref _lastFromDestination), now) > readTimeout
        || time.GetElapsedTime(Volatile.Read(ref _lastFromClient), now) > sendTimeout;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Pooled state machines: a read or write per WebSocket frame would otherwise allocate one each time it waits.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Volatile.Write(ref _lastFromClient, time.GetTimestamp());
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Volatile.Write(ref _lastFromClient, time.GetTimestamp());
        return read;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _lastFromDestination, time.GetTimestamp());
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Volatile.Write(ref _lastFromDestination, time.GetTimestamp());
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
