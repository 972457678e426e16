namespace Chat.IngressController.Kubernetes;

/// <summary>A namespaced object's identity, "namespace/name".</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey? TryParse(string? value)
    {
        var parts = value?.Split('/') ?? [];
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? new ObjectKey(parts[0], parts[1]) : null;
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
