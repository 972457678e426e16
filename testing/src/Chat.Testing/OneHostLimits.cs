namespace Chat.Testing;

/// <summary>
/// Per-address limits for processes whose every client comes from this one host (loopback): the functional tests,
/// the benchmarks and the load test's `local` cluster, which the defaults (100 connections, 10 new ones per second,
/// 100 messages per second per address) would stop at once. The attack tests keep the limits they exercise.
/// </summary>
public static class OneHostLimits
{
    private const string High = "100000";

    public static IReadOnlyDictionary<string, string?> ChatServer { get; } = new Dictionary<string, string?>
    {
        ["Chat:Limits:InvocationsPerSecond"] = High,
        ["Chat:Limits:InvocationBurst"] = High,
        ["Chat:Limits:ConnectionsPerAddress"] = High,
        ["Chat:Limits:MaxConnections"] = High,
        ["Chat:Limits:AddressConnectsPerSecond"] = High,
        ["Chat:Limits:AddressConnectBurst"] = High,
        ["Chat:Limits:AddressMessagesPerSecond"] = High,
        ["Chat:Limits:AddressMessageBurst"] = High,
        ["Chat:Limits:AddressHistoryReadsPerSecond"] = High,
        ["Chat:Limits:AddressHistoryReadBurst"] = High,
    };

    public static IReadOnlyDictionary<string, string?> Gateway { get; } = Proxy("Gateway:Limits");

    public static IReadOnlyDictionary<string, string?> IngressController { get; } = Proxy("IngressController:Limits");

    private static Dictionary<string, string?> Proxy(string section) => new()
    {
        [$"{section}:ConnectionsPerAddress"] = High,
        [$"{section}:MaxConnections"] = High,
        [$"{section}:ConnectsPerSecond"] = High,
        [$"{section}:ConnectBurst"] = High,
    };

    /// <summary><paramref name="settings"/> on top of <paramref name="limits"/>.</summary>
    public static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> limits, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var merged = new Dictionary<string, string?>(limits);
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        return merged;
    }
}
