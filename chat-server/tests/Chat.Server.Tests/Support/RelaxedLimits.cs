namespace Chat.Server.Tests.Support;

/// <summary>
/// Limits well above what the functional tests take, from one loopback address as all of them are: those tests are
/// about delivery and balance, not about limits (the attack tests set the limits they exercise).
/// </summary>
public static class RelaxedLimits
{
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Chat:Limits:InvocationsPerSecond"] = "100000",
        ["Chat:Limits:InvocationBurst"] = "100000",
        ["Chat:Limits:AddressMessagesPerSecond"] = "100000",
        ["Chat:Limits:AddressMessageBurst"] = "100000",
        ["Chat:Limits:AddressHistoryReadsPerSecond"] = "100000",
        ["Chat:Limits:AddressHistoryReadBurst"] = "100000",
        ["Chat:Limits:AddressConnectsPerSecond"] = "100000",
        ["Chat:Limits:AddressConnectBurst"] = "100000",
        ["Chat:Limits:ConnectionsPerAddress"] = "100000",
        ["Chat:Limits:MaxConnections"] = "100000",
    };

    public static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> settings) =>
        new(Settings.Concat(settings).GroupBy(p => p.Key).Select(g => g.Last()));
}
