namespace Chat.IngressController.Tests.FakeApi;

/// <summary>One request the fake API server received, in RBAC terms.</summary>
public sealed record ApiRequest(string Method, string ApiGroup, string Resource, string Verb, string? Namespace, string Path);
