using System.Globalization;
using Chat.Server.Balancing;
using Chat.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Load reports of a pool (<see cref="BalancingOptions.Pool"/>) in one Redis hash, <c>chat:load</c> for the default
/// pool and <c>chat:load:{pool}</c> for a named one: field = replica, value = <c>"count unixMs"</c>. One key, so every
/// access stays in one cluster slot; a report older than <see cref="BalancingOptions.ReportTtl"/> counts as gone and
/// is removed by the next reader.
/// </summary>
public sealed class RedisLoadStore(
    IConnectionMultiplexer redis,
    IOptions<ChatOptions> chatOptions,
    IOptions<BalancingOptions> options,
    TimeProvider time) : ILoadStore
{
    private RedisKey Key => KeyOf(options.Value.Pool);

    public static RedisKey KeyOf(string pool) => pool.Length == 0 ? "chat:load" : $"chat:load:{pool}";

    private string Replica => chatOptions.Value.ReplicaId;

    public async Task<IReadOnlyDictionary<string, LoadReport>> ReportAsync(long connections, CancellationToken cancellationToken = default)
    {
        var value = $"{connections} {time.GetUtcNow().ToUnixTimeMilliseconds()}";
        await Run(db => db.HashSetAsync(Key, Replica, value));
        return await ReadAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, LoadReport>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var entries = await Run(db => db.HashGetAllAsync(Key));
        var now = time.GetUtcNow();
        var reports = new Dictionary<string, LoadReport>(StringComparer.Ordinal);
        var expired = new List<RedisValue>();
        foreach (var entry in entries)
        {
            if (Parse(entry.Value) is { } report && now - report.At <= options.Value.ReportTtl)
            {
                reports[entry.Name.ToString()] = report;
            }
            else
            {
                expired.Add(entry.Name);
            }
        }

        if (expired.Count > 0)
        {
            await Run(db => db.HashDeleteAsync(Key, [.. expired]));
        }

        return reports;
    }

    public Task WithdrawAsync(CancellationToken cancellationToken = default) => Run(db => db.HashDeleteAsync(Key, Replica));

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(redis.GetDatabase());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new BrokerUnavailableException("Redis did not answer.", e);
        }
    }

    private static LoadReport? Parse(RedisValue value)
    {
        var text = value.ToString();
        var space = text.IndexOf(' ');
        return space > 0
            && long.TryParse(text.AsSpan(0, space), CultureInfo.InvariantCulture, out var count)
            && long.TryParse(text.AsSpan(space + 1), CultureInfo.InvariantCulture, out var ms)
            ? new LoadReport(count, DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
    }
}
