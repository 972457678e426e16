using Chat.IngressController.GatewayApi.Models;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;
using static Chat.IngressController.GatewayApi.Models.Conditions;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>A YARP route before ordering, with its precedence key (Gateway API rules, see <see cref="RoutePrecedence"/>).</summary>
public sealed record PendingRoute(RoutePrecedence Precedence, RouteConfig Config);

/// <summary>
/// One HTTPRoute: its attachment to each parentRef (sectionName, port, allowedRoutes, hostname intersection), its
/// ResolvedRefs, and for every accepted listener, rule, match and effective hostname one YARP route.
/// </summary>
public sealed class RouteTranslator(GatewayTranslationInput input, IReadOnlyDictionary<string, List<ResolvedListener>> gateways, BackendClusters clusters, PolicyIndex policies)
{
    private readonly Dictionary<string, int> _pendingIndex = new(StringComparer.Ordinal);

    public IReadOnlyList<RouteParentStatus> Translate(HttpRoute route, List<PendingRoute> pending)
    {
        var generation = route.Generation;
        var rules = route.Spec.Rules ?? [];
        var resolved = rules.Select(r => (r.BackendRefs ?? []).Select(b => clusters.Resolve(route, b)).ToList()).ToList();
        var unresolved = resolved.SelectMany(r => r).FirstOrDefault(b => b.Problem is not null);
        var resolvedRefs = unresolved is null
            ? StatusConditions.Make(ResolvedRefs, true, Reasons.ResolvedRefs, "all backendRefs resolved", generation)
            : StatusConditions.Make(ResolvedRefs, false, unresolved.Reason!, unresolved.Problem!, generation);
        var unsupported = rules.Select(RuleBehaviors.Problem).FirstOrDefault(p => p is not null);

        var statuses = new List<RouteParentStatus>();
        IReadOnlyList<string> routeHostnames = route.Spec.Hostnames?.ToList() ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parent in route.Spec.ParentRefs ?? [])
        {
            if ((parent.Group ?? GatewayApiNames.Group) != GatewayApiNames.Group || (parent.Kind ?? GatewayApiNames.GatewayKind) != GatewayApiNames.GatewayKind)
            {
                continue;
            }

            var gatewayKey = (parent.Namespace ?? route.Namespace) + "/" + parent.Name;
            if (!gateways.TryGetValue(gatewayKey, out var listeners) || !seen.Add($"{gatewayKey}|{parent.SectionName}|{parent.Port}"))
            {
                continue;
            }

            var (accepted, attached) = Attach(route, parent, listeners, routeHostnames, unsupported);
            statuses.Add(new RouteParentStatus
            {
                ParentRef = new ParentReference
                {
                    Group = GatewayApiNames.Group,
                    Kind = GatewayApiNames.GatewayKind,
                    Namespace = parent.Namespace ?? route.Namespace,
                    Name = parent.Name,
                    SectionName = parent.SectionName,
                    Port = parent.Port,
                },
                ControllerName = input.ControllerName,
                Conditions = [accepted, resolvedRefs],
            });
            foreach (var listener in attached)
            {
                listener.AttachedRoutes.Add(route.Key);
                if (!listener.Programmed)
                {
                    continue;
                }

                var hosts = Hostnames.Intersect(listener.Hostname, routeHostnames);
                for (var r = 0; r < rules.Count; r++)
                {
                    AddRoutes(route, r, rules[r], resolved[r], listener, hosts, pending);
                }
            }
        }

        return statuses;
    }

    private (V1Condition Accepted, List<ResolvedListener> Attached) Attach(HttpRoute route, ParentReference parent, List<ResolvedListener> listeners,
        IReadOnlyList<string> routeHostnames, string? unsupported)
    {
        var generation = route.Generation;
        V1Condition Refused(string reason, string message) => StatusConditions.Make(Accepted, false, reason, message, generation);
        var candidates = listeners.Where(l => (parent.SectionName is null || l.Spec.Name == parent.SectionName) && (parent.Port is null || l.Spec.Port == parent.Port)).ToList();
        if (candidates.Count == 0)
        {
            return (Refused(Reasons.NoMatchingParent, $"Gateway {parent.Name} has no listener {parent.SectionName}{(parent.Port is { } p ? " on port " + p : "")}"), []);
        }

        var allowed = candidates.Where(l => l.Accepted && l.AllowsHttpRoute && ListenerResolver.AllowsNamespace(l, route.Namespace, input.Objects.NamespaceLabels)).ToList();
        if (allowed.Count == 0)
        {
            return (Refused(Reasons.NotAllowedByListeners, $"no listener of Gateway {parent.Name} allows HTTPRoutes from namespace {route.Namespace}"), []);
        }

        var attached = allowed.Where(l => Hostnames.Intersect(l.Hostname, routeHostnames) is not { Count: 0 }).ToList();
        if (attached.Count == 0)
        {
            return (Refused(Reasons.NoMatchingListenerHostname, "no listener hostname intersects the route's hostnames"), []);
        }

        if (unsupported is not null)
        {
            return (Refused(Reasons.UnsupportedValue, unsupported), []);
        }

        return (StatusConditions.Make(Accepted, true, Reasons.Accepted, "route accepted", generation), attached);
    }

    private void AddRoutes(HttpRoute route, int ruleIndex, HttpRouteRule rule, IReadOnlyList<ResolvedBackend> backends, ResolvedListener listener,
        IReadOnlyList<string>? hosts, List<PendingRoute> pending)
    {
        var redirect = RuleBehaviors.Redirect(rule);
        var clusterId = redirect is null ? clusters.ClusterFor(route, backends) : null;
        var perBackend = backends.Count > 1 || backends.Any(b => b.Ref.Filters is { Count: > 0 });
        var behaviorBase = new GatewayRouteBehavior
        {
            Route = route.Key,
            LocalPort = listener.LocalPort,
            Listeners = [listener.Hostname ?? ""],
            ListenerPort = listener.Spec.Port,
            Scheme = listener.Https ? "https" : "http",
            RequestHeaders = RuleBehaviors.Headers(rule.Filters?.FirstOrDefault(f => f.Type == "RequestHeaderModifier")?.RequestHeaderModifier),
            ResponseHeaders = RuleBehaviors.Headers(rule.Filters?.FirstOrDefault(f => f.Type == "ResponseHeaderModifier")?.ResponseHeaderModifier),
            Redirect = redirect,
            Rewrite = RuleBehaviors.Rewrite(rule),
            Backends = perBackend && redirect is null
                ? backends.Select(b => new BackendChoice(b.Weight, b.Problem is null, RuleBehaviors.Headers(b.Ref.Filters?.FirstOrDefault()?.RequestHeaderModifier))).ToList()
                : null,
            NoBackend = redirect is null && clusterId is null,
            TimeoutSeconds = RuleBehaviors.Timeout(rule),
            DrainSeconds = (backends.FirstOrDefault(b => b.Problem is null) is { } first
                ? policies.SettingsFor(first.Namespace, first.Ref.Name, first.WebSocket, route.Namespace, route.Name, input.DefaultDrain).Drain
                : policies.DrainFor(route.Namespace, route.Name, input.DefaultDrain)).TotalSeconds,
        };

        var matches = RuleBehaviors.Matches(rule);
        for (var m = 0; m < matches.Count; m++)
        {
            var match = matches[m];
            var pathType = match.Path?.Type ?? PathTypes.PathPrefix;
            var path = match.Path?.Value ?? "/";
            var behavior = behaviorBase with
            {
                PathType = pathType,
                Path = path,
                Method = match.Method,
                Headers = match.Headers?.Select(h => new ValueMatch(h.Name, h.Value, h.Type == "RegularExpression")).ToList(),
                QueryParams = match.QueryParams?.Select(q => new ValueMatch(q.Name, q.Value, q.Type == "RegularExpression")).ToList(),
            };
            foreach (var host in hosts ?? [null!])
            {
                var id = $"gateway/{route.Namespace}/{route.Name}/{listener.LocalPort}/{host ?? "*"}/{ruleIndex}/{m}";
                if (_pendingIndex.TryGetValue(id, out var existing))
                {
                    // Another listener of the same port yields the same route: it serves both listeners' hostnames.
                    var known = GatewayRouteBehavior.Parse(pending[existing].Config.Metadata)!;
                    var merged = known with { Listeners = known.Listeners.Union(behavior.Listeners).ToList() };
                    pending[existing] = pending[existing] with
                    {
                        Config = pending[existing].Config with { Metadata = new Dictionary<string, string> { [GatewayRouteBehavior.MetadataKey] = merged.Serialize() } },
                    };
                    continue;
                }

                _pendingIndex[id] = pending.Count;
                pending.Add(new PendingRoute(
                    new RoutePrecedence(host, pathType, path, match.Method is not null, match.Headers?.Count ?? 0, match.QueryParams?.Count ?? 0,
                        route.Metadata.CreationTimestamp ?? DateTime.MaxValue, route.Key, ruleIndex, m),
                    new RouteConfig
                    {
                        RouteId = id,
                        ClusterId = clusterId,
                        Match = new RouteMatch
                        {
                            Hosts = host is null ? null : [host],
                            Path = Template(pathType, path),
                        },
                        Metadata = new Dictionary<string, string> { [GatewayRouteBehavior.MetadataKey] = behavior.Serialize() },
                    }));
            }
        }
    }

    /// <summary>A YARP path template that admits at least what the match matches; the exact (case-sensitive) check is the matcher policy's.</summary>
    private static string Template(string pathType, string path)
    {
        if (pathType != PathTypes.Exact && pathType != PathTypes.PathPrefix)
        {
            return "/{**catch-all}";
        }

        var literal = path.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        return pathType == PathTypes.Exact ? literal : literal.TrimEnd('/') + "/{**catch-all}";
    }
}
