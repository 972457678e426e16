namespace Chat.Server.Balancing;

/// <summary>
/// Whether this replica has answered a readiness probe with 200 yet. Every proxy in front of the chat (the gateway's
/// and the controller's active health checks, the kubelet whose verdict makes an endpoint ready) routes to a replica
/// only once its /readyz said so; until then a replica that reported 0 connections would look like an emptier peer
/// that the others should hand clients to, and their handovers would come straight back. So a replica joins its
/// pool's load reports from its first successful readiness answer on.
/// </summary>
public sealed class ProxyReadiness
{
    private volatile bool _answered;

    public bool Answered => _answered;

    public void ReadyAnswered() => _answered = true;
}
