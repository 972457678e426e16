using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Chat.Server.Stomp;

/// <summary>
/// One timer for every STOMP session of the replica: each tick checks each session's CONNECT deadline and heart-beats
/// (<see cref="StompSession.OnTick"/>). A timer per connection would keep a pending delay for every idle connection
/// and wake each of them on every tick.
/// </summary>
public sealed class StompSessionClock : IDisposable
{
    private readonly ConcurrentDictionary<StompSession, byte> _sessions = new();
    private readonly PeriodicTimer _timer;
    private readonly ILogger _logger;

    public StompSessionClock(IOptions<StompOptions> options, ILogger<StompSessionClock> logger)
    {
        _logger = logger;
        Tick = TickFor(options.Value);
        _timer = new PeriodicTimer(Tick);
        _ = RunAsync();
    }

    public TimeSpan Tick { get; }

    public void Add(StompSession session) => _sessions.TryAdd(session, 0);

    public void Remove(StompSession session) => _sessions.TryRemove(session, out _);

    /// <summary>
    /// A quarter of the shortest interval checked, 25 ms to 1 s: the CONNECT deadline or one of the server's
    /// heart-beat intervals (negotiation only lengthens those).
    /// </summary>
    public static TimeSpan TickFor(StompOptions options)
    {
        var shortest = new[] { options.ConnectTimeoutMilliseconds, options.HeartBeatSendMilliseconds, options.HeartBeatReceiveMilliseconds }
            .Where(ms => ms > 0).Min();
        return TimeSpan.FromMilliseconds(Math.Clamp(shortest / 4.0, 25, 1000));
    }

    public void Dispose() => _timer.Dispose();

    private async Task RunAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            var now = Environment.TickCount64;
            foreach (var (session, _) in _sessions)
            {
                try
                {
                    session.OnTick(now);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "STOMP session {Session}: heart-beat check failed", session.Id);
                }
            }
        }
    }
}
