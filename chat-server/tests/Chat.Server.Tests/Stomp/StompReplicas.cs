using Chat.Server.Tests.Support;

namespace Chat.Server.Tests.Stomp;

/// <summary>
/// <see cref="TwoReplicas"/> with fast heart-beats and a short presence grace, shared by the STOMP tests that need
/// real processes (conformance, cross-protocol, Chromium).
/// </summary>
public sealed class StompReplicas : TwoReplicas
{
    protected override IReadOnlyDictionary<string, string?> ReplicaSettings { get; } = new Dictionary<string, string?>
    {
        ["Chat:PresenceGraceSeconds"] = "0.3",
        ["Chat:Stomp:HeartBeatSendMilliseconds"] = "200",
        ["Chat:Stomp:HeartBeatReceiveMilliseconds"] = "300",
    };
}

[CollectionDefinition(Name)]
public sealed class StompReplicasCollection : ICollectionFixture<StompReplicas>
{
    public const string Name = "STOMP on two replicas";
}
