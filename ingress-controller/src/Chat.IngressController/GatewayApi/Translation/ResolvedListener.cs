using Chat.IngressController.GatewayApi.Models;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>A Gateway listener after validation, with what routes need to attach to it.</summary>
public sealed class ResolvedListener
{
    public required Gateway Gateway { get; init; }
    public required Listener Spec { get; init; }

    /// <summary>Accepted: supported protocol; routes may attach (even while refs are unresolved).</summary>
    public bool Accepted { get; init; }

    /// <summary>Routes of HTTPRoute kind may attach (allowedRoutes.kinds allows it).</summary>
    public bool AllowsHttpRoute { get; init; }

    public bool Programmed { get; set; }

    /// <summary>The controller's port this listener is served on (0: none could be given, see <see cref="PortProblem"/>).</summary>
    public int LocalPort { get; init; }

    /// <summary>Why the listener has no usable controller port (no free port of GatewayPorts, or it could not be opened).</summary>
    public string? PortProblem { get; init; }

    public bool Https => Spec.Protocol == "HTTPS";

    /// <summary>"namespace/name" of the TLS Secret when it resolved.</summary>
    public string? CertificateSecret { get; init; }

    public List<V1Condition> Conditions { get; } = [];

    public IList<RouteGroupKind> SupportedKinds { get; init; } = [];

    public HashSet<string> AttachedRoutes { get; } = new(StringComparer.Ordinal);

    public string? Hostname => string.IsNullOrEmpty(Spec.Hostname) ? null : Spec.Hostname;
}
