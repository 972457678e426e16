namespace Chat.Server.Balancing;

/// <summary>
/// The Kubernetes API calls of the chat server, for least-privilege RBAC (a deploy test compares the chat-ws Role
/// with this list): one merge patch of its own Pod's annotations. RBAC cannot name a pod that does not exist yet, so
/// the Role allows patching the pods of the namespace, nothing else.
/// </summary>
public static class PodDeletionCostPermissions
{
    public static IReadOnlyList<(string ApiGroup, string Resource, string Verb)> Required { get; } = [("", "pods", "patch")];
}
