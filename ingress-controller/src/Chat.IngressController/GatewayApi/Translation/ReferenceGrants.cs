using Chat.IngressController.GatewayApi.Models;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>Whether a ReferenceGrant in the target's namespace lets an object of another namespace refer to it.</summary>
public sealed class ReferenceGrants(IReadOnlyList<ReferenceGrant> grants)
{
    public bool Permits(string fromGroup, string fromKind, string fromNamespace, string toGroup, string toKind, string toNamespace, string toName) =>
        fromNamespace == toNamespace || grants.Any(g => g.Namespace == toNamespace
            && g.Spec.From.Any(f => f.Group == fromGroup && f.Kind == fromKind && f.Namespace == fromNamespace)
            && g.Spec.To.Any(t => t.Group == toGroup && t.Kind == toKind && (string.IsNullOrEmpty(t.Name) || t.Name == toName)));
}
