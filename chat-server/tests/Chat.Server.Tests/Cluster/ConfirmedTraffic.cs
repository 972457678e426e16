using System.Collections.Concurrent;
using Chat.Client;
using Chat.Testing;

namespace Chat.Server.Tests.Cluster;

/// <summary>
/// A sender that keeps sending to a room while the test disturbs Redis, recording which sends were confirmed (the
/// hub returned an offset) and which were refused (the reason). Bounded to 3,000 sends.
/// </summary>
internal sealed class ConfirmedTraffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;

    public ConfirmedTraffic(ClusterSubscriber sender, string room) => _sending = Task.Run(() => SendAsync(sender, room));

    public ConcurrentBag<long> Confirmed { get; } = [];

    public ConcurrentBag<string> Refused { get; } = [];

    public Task<bool> ConfirmedAtLeastAsync(int count) => Eventually.TrueAsync(() => Confirmed.Count >= count, TimeSpan.FromSeconds(60));

    /// <summary>Stops sending; then every confirmed offset must reach each subscriber exactly once, in the same epoch, on its first connection.</summary>
    public async Task StopAndVerifyAsync(string room, string epoch, params ClusterSubscriber[] subscribers)
    {
        await _stop.CancelAsync();
        await _sending;
        foreach (var subscriber in subscribers)
        {
            Assert.True(
                await Eventually.TrueAsync(() => subscriber.Has(room, Confirmed), TimeSpan.FromSeconds(30)),
                $"confirmed messages missing: {string.Join(", ", Confirmed.Except(subscriber.Chats(room).Select(m => m.Offset)).Order().Take(20))} (of {Confirmed.Count}, last delivered {subscriber.Chats(room).LastOrDefault()?.Offset})");
            Assert.Empty(subscriber.Duplicates(room));
            Assert.Equal(0, subscriber.Reconnects);
            Assert.All(subscriber.Chats(room), m => Assert.Equal(epoch, m.Epoch));
        }

        Assert.All(Refused, reason => Assert.Contains("unavailable", reason, StringComparison.OrdinalIgnoreCase));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        _stop.Dispose();
    }

    private async Task SendAsync(ClusterSubscriber sender, string room)
    {
        for (var i = 0; i < 3_000 && !_stop.IsCancellationRequested; i++)
        {
            try
            {
                Confirmed.Add(await sender.SendAsync(room, $"s{i}"));
            }
            catch (ChatServerException e)
            {
                Refused.Add(e.Reason);
                await Task.Delay(50);
            }

            await Task.Delay(5);
        }
    }
}
