namespace Chat.Testing.Kubernetes.FakeApi;

/// <summary>
/// One request the fake API server received, in RBAC terms: the authenticated user (null without a bearer token),
/// the object name when the request named one, and whether it was allowed.
/// </summary>
public sealed record ApiRequest(string Method, string ApiGroup, string Resource, string Verb, string? Namespace, string Path,
    string? User = null, string? Name = null)
{
    public bool Allowed { get; init; } = true;
}
