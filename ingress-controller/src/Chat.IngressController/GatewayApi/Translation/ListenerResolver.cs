using Chat.IngressController.GatewayApi.Models;
using k8s.Models;
using static Chat.IngressController.GatewayApi.Models.Conditions;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>
/// Validates a Gateway's listeners as the specification says: protocol (HTTP, HTTPS with TLS termination), route
/// kinds, certificate references (Secret kind, same namespace or a ReferenceGrant, a usable certificate), and
/// conflicts between listeners on one port (protocol, hostname).
/// </summary>
public static class ListenerResolver
{
    private static readonly RouteGroupKind HttpRouteKind = new() { Group = GatewayApiNames.Group, Kind = GatewayApiNames.HttpRouteKind };

    public static List<ResolvedListener> Resolve(Gateway gateway, GatewayTranslationInput input)
    {
        var generation = gateway.Generation;
        var listeners = new List<ResolvedListener>();
        foreach (var spec in gateway.Spec.Listeners)
        {
            var supportedProtocol = spec.Protocol is "HTTP" or "HTTPS";
            var (kinds, kindsValid) = supportedProtocol ? Kinds(spec) : ([], true);
            string? secret = null;
            (string, string)? refsReason = kindsValid ? null : (Reasons.InvalidRouteKinds, "allowedRoutes.kinds names kinds other than HTTPRoute");
            if (supportedProtocol && spec.Protocol == "HTTPS" && refsReason is null)
            {
                (secret, refsReason) = Certificate(gateway, spec, input);
            }

            var (localPort, portProblem) = LocalPort(gateway, spec, input);
            var listener = new ResolvedListener
            {
                Gateway = gateway,
                Spec = spec,
                Accepted = supportedProtocol,
                AllowsHttpRoute = kinds.Count > 0,
                LocalPort = localPort,
                PortProblem = portProblem,
                CertificateSecret = secret,
                SupportedKinds = kinds,
            };
            listener.Conditions.Add(supportedProtocol
                ? StatusConditions.Make(Conditions.Accepted, true, Reasons.Accepted, "listener accepted", generation)
                : StatusConditions.Make(Conditions.Accepted, false, Reasons.UnsupportedProtocol, $"protocol \"{spec.Protocol}\" is not supported (HTTP and HTTPS are)", generation));
            listener.Conditions.Add(refsReason is { } problem
                ? StatusConditions.Make(ResolvedRefs, false, problem.Item1, problem.Item2, generation)
                : StatusConditions.Make(ResolvedRefs, true, Reasons.ResolvedRefs, "references resolved", generation));
            listeners.Add(listener);
        }

        MarkConflicts(listeners, generation);
        foreach (var listener in listeners)
        {
            var conflicted = listener.Conditions.Any(c => c.Type == Conflicted && c.Status == "True");
            var resolved = listener.Conditions.Any(c => c.Type == ResolvedRefs && c.Status == "True");
            listener.Programmed = listener.Accepted && resolved && !conflicted && listener.PortProblem is null;
            listener.Conditions.Add(listener.Programmed
                ? StatusConditions.Make(Conditions.Programmed, true, Reasons.Programmed, $"served on port {listener.LocalPort}", generation)
                : listener.Accepted && resolved && !conflicted
                    ? StatusConditions.Make(Conditions.Programmed, false, Reasons.Pending, listener.PortProblem!, generation)
                    : StatusConditions.Make(Conditions.Programmed, false, Reasons.Invalid, "listener is not valid; see its other conditions", generation));
        }

        return listeners;
    }

    /// <summary>The controller port a listener is served on: the shared HttpPort/HttpsPort, or the Gateway's own pod port for its listener port.</summary>
    private static (int Port, string? Problem) LocalPort(Gateway gateway, Listener spec, GatewayTranslationInput input)
    {
        var addressing = input.Plan.For(gateway.Key);
        if (addressing.Shared)
        {
            return (spec.Protocol == "HTTPS" ? input.HttpsPort : input.HttpPort, null);
        }

        if (!addressing.PodPorts.TryGetValue(spec.Port, out var pod))
        {
            return (0, addressing.Problem ?? $"no controller port for listener port {spec.Port}");
        }

        return input.UnavailablePorts.TryGetValue(pod, out var error) ? (pod, $"controller port {pod} cannot be opened: {error}") : (pod, null);
    }

    private static (IList<RouteGroupKind> Kinds, bool Valid) Kinds(Listener spec)
    {
        var requested = spec.AllowedRoutes?.Kinds;
        if (requested is null || requested.Count == 0)
        {
            return ([HttpRouteKind], true);
        }

        var supported = requested.Where(k => (k.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group && k.Kind == GatewayApiNames.HttpRouteKind).ToList();
        return (supported.Count > 0 ? [HttpRouteKind] : [], supported.Count == requested.Count);
    }

    private static (string? Secret, (string, string)? Problem) Certificate(Gateway gateway, Listener spec, GatewayTranslationInput input)
    {
        if (spec.Tls?.Mode is { } mode && mode != "Terminate")
        {
            return (null, (Reasons.InvalidCertificateRef, $"TLS mode {mode} is not supported on HTTPS listeners"));
        }

        var refs = spec.Tls?.CertificateRefs ?? [];
        if (refs.Count == 0)
        {
            return (null, (Reasons.InvalidCertificateRef, "an HTTPS listener needs tls.certificateRefs"));
        }

        var reference = refs[0];
        if ((reference.Group ?? "") != "" || (reference.Kind ?? "Secret") != "Secret")
        {
            return (null, (Reasons.InvalidCertificateRef, $"certificateRef {reference.Group}/{reference.Kind} is not a core Secret"));
        }

        var ns = string.IsNullOrEmpty(reference.Namespace) ? gateway.Namespace : reference.Namespace;
        if (!input.Grants.Permits(GatewayApiNames.Group, GatewayApiNames.GatewayKind, gateway.Namespace, "", "Secret", ns, reference.Name))
        {
            return (null, (Reasons.RefNotPermitted, $"no ReferenceGrant in {ns} lets Gateways of {gateway.Namespace} use Secret {reference.Name}"));
        }

        var key = ns + "/" + reference.Name;
        if (!input.Cluster.Secrets.TryGetValue(key, out var secret) || !input.CertificateValid(key, secret))
        {
            return (null, (Reasons.InvalidCertificateRef, $"Secret {key} does not exist or holds no valid kubernetes.io/tls certificate and key"));
        }

        return (key, null);
    }

    private static void MarkConflicts(List<ResolvedListener> listeners, long generation)
    {
        foreach (var listener in listeners)
        {
            var samePort = listeners.Where(l => l != listener && l.Accepted && l.Spec.Port == listener.Spec.Port).ToList();
            string? reason = null;
            if (samePort.Any(l => l.Spec.Protocol != listener.Spec.Protocol))
            {
                reason = Reasons.ProtocolConflict;
            }
            else if (samePort.Any(l => string.Equals(l.Hostname ?? "", listener.Hostname ?? "", StringComparison.OrdinalIgnoreCase)))
            {
                reason = Reasons.HostnameConflict;
            }

            listener.Conditions.Add(reason is null || !listener.Accepted
                ? StatusConditions.Make(Conflicted, false, Reasons.NoConflicts, "no conflicts", generation)
                : StatusConditions.Make(Conflicted, true, reason, $"another listener on port {listener.Spec.Port} has the same {(reason == Reasons.ProtocolConflict ? "port with another protocol" : "hostname")}", generation));
        }
    }

    /// <summary>Whether routes of a namespace may attach, by allowedRoutes.namespaces (Same by default).</summary>
    public static bool AllowsNamespace(ResolvedListener listener, string routeNamespace, IReadOnlyDictionary<string, IDictionary<string, string>> namespaceLabels)
    {
        var from = listener.Spec.AllowedRoutes?.Namespaces?.From ?? "Same";
        return from switch
        {
            "All" => true,
            "Same" => routeNamespace == listener.Gateway.Namespace,
            "Selector" => LabelSelectors.Matches(listener.Spec.AllowedRoutes?.Namespaces?.Selector,
                namespaceLabels.TryGetValue(routeNamespace, out var labels) ? labels : new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = routeNamespace }),
            _ => false,
        };
    }
}

/// <summary>metav1.LabelSelector evaluation (matchLabels and matchExpressions).</summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(expression.Key, out var actual);
            var values = expression.Values ?? [];
            var ok = expression.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
