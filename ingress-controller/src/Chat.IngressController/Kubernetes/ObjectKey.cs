namespace Chat.IngressController.Kubernetes;

/// <summary>A namespaced object's identity, "namespace/name".</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey? TryParse(string? value)
    {
        var parts = value?.Split('/') ?? [];
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? new ObjectKey(parts[0], parts[1]) : null;
    }

    /// <summary>"namespace/name", or a bare "name" in <paramref name="defaultNamespace"/> (the controller's own).</summary>
    public static ObjectKey? TryParse(string? value, string defaultNamespace) =>
        value is { Length: > 0 } && !value.Contains('/', StringComparison.Ordinal) ? new ObjectKey(defaultNamespace, value) : TryParse(value);

    public override string ToString() => $"{Namespace}/{Name}";
}
