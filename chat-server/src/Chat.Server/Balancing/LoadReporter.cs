using Chat.Server.Connections;
using Chat.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Balancing;

/// <summary>
/// Load reports in Redis: every <see cref="BalancingOptions.ReportInterval"/> this replica writes its connection
/// count and the time (<c>"count unixMs"</c>) to <c>chat:load:{replica}</c> (expiring after
/// <see cref="BalancingOptions.ReportTtl"/>) and lists itself
/// in the set <c>chat:load:replicas</c> (keys of its pool, see <see cref="LoadKeys"/>), then reads every listed replica's count into <see cref="ClusterLoad"/>;
/// replicas whose key expired are dropped from the set. A replica reports from its first successful readiness
/// answer on (see <see cref="ProxyReadiness"/>); a draining replica removes itself at once.
/// </summary>
public sealed class LoadReporter(
    IConnectionMultiplexer redis,
    ConnectionRegistry registry,
    ClusterLoad clusterLoad,
    DrainState drain,
    ProxyReadiness readiness,
    IOptions<ChatOptions> chatOptions,
    IOptions<BalancingOptions> options,
    TimeProvider time,
    ILogger<LoadReporter> logger) : BackgroundService
{
    private RedisKey ReplicaSetKey => LoadKeys.ReplicaSet(options.Value.Pool);

    private RedisKey ReplicaKey(string replica) => LoadKeys.Replica(options.Value.Pool, replica);

    private string Replica => chatOptions.Value.ReplicaId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        do
        {
            try
            {
                await ReportAndReadAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning("Load report failed ({Error}); retrying at the next tick", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Leaves the cluster's load view (called when draining starts).</summary>
    public async Task WithdrawAsync()
    {
        try
        {
            var db = redis.GetDatabase();
            await Task.WhenAll(db.KeyDeleteAsync(ReplicaKey(Replica)), db.SetRemoveAsync(ReplicaSetKey, Replica));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not withdraw the load report ({Error}); it expires by itself", e.Message);
        }
    }

    private async Task ReportAndReadAsync()
    {
        var db = redis.GetDatabase();
        if (!drain.Draining && readiness.Answered)
        {
            await Task.WhenAll(
                db.StringSetAsync(ReplicaKey(Replica), $"{registry.Count} {time.GetUtcNow().ToUnixTimeMilliseconds()}", options.Value.ReportTtl),
                db.SetAddAsync(ReplicaSetKey, Replica));
        }

        var members = (await db.SetMembersAsync(ReplicaSetKey)).Select(m => m.ToString()).ToArray();
        var counts = members.Length == 0 ? [] : await db.StringGetAsync(members.Select(ReplicaKey).ToArray());
        var replicas = new Dictionary<string, long>(StringComparer.Ordinal);
        var expired = new List<RedisValue>();
        var oldest = time.GetUtcNow();
        for (var i = 0; i < members.Length; i++)
        {
            if (Parse(counts[i]) is var (count, at))
            {
                replicas[members[i]] = count;
                oldest = at < oldest ? at : oldest;
            }
            else
            {
                expired.Add(members[i]);
            }
        }

        if (expired.Count > 0)
        {
            await db.SetRemoveAsync(ReplicaSetKey, expired.ToArray());
        }

        clusterLoad.Update(replicas, time.GetUtcNow(), oldest);
    }

    private static (long Count, DateTimeOffset At)? Parse(RedisValue value)
    {
        var text = value.ToString();
        var space = text.IndexOf(' ');
        return space > 0
            && long.TryParse(text.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture, out var count)
            && long.TryParse(text.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? (count, DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
    }
}
