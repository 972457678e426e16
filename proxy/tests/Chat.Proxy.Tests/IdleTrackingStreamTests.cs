using Chat.Proxy.Timeouts;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Proxy.Tests;

public sealed class IdleTrackingStreamTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Silence_from_the_destination_longer_than_the_read_timeout_is_idle()
    {
        await using var stream = new IdleTrackingStream(new MemoryStream(), _time, readTimeout: TimeSpan.FromSeconds(10), sendTimeout: TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(stream.IsIdle(_time.GetTimestamp()));
        await stream.WriteAsync(new byte[] { 1 });
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(stream.IsIdle(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(stream.IsIdle(_time.GetTimestamp()));
    }

    [Fact]
    public async Task Silence_from_the_client_longer_than_the_send_timeout_is_idle()
    {
        await using var stream = new IdleTrackingStream(new MemoryStream([1, 2, 3]), _time, readTimeout: TimeSpan.FromSeconds(60), sendTimeout: TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, await stream.ReadAsync(new byte[1]));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(stream.IsIdle(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(stream.IsIdle(_time.GetTimestamp()));
    }

    [Fact]
    public void The_watchdog_aborts_a_connection_that_went_idle()
    {
        using var watchdog = new IdleTimeoutWatchdog(_time);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var aborted = new AbortRecorder();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestLifetimeFeature>(aborted);
        _ = watchdog.Watch(context, new MemoryStream(), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));
        Assert.Equal(1, watchdog.Count);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(aborted.Aborted);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(aborted.Aborted);
        Assert.Equal(0, watchdog.Count);
    }

    private sealed class AbortRecorder : Microsoft.AspNetCore.Http.Features.IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }
}
