using Chat.IngressController.GatewayApi.Models;
using Chat.Proxy;
using k8s.Models;
using static Chat.IngressController.GatewayApi.Models.Conditions;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>
/// The ConnectionPolicies by target (a Service or an HTTPRoute): when two target the same object the older wins and
/// the other is Conflicted. Settings apply in layers: defaults, then the backend Service's policy, then the route's.
/// </summary>
public sealed class PolicyIndex
{
    public const string ServiceTarget = "Service";
    public const string RouteTarget = "HTTPRoute";

    private readonly Dictionary<string, ConnectionPolicy> _byTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<ConnectionPolicy, List<(LocalPolicyTargetReference Target, V1Condition Condition)>> _status = [];

    public PolicyIndex(IReadOnlyList<ConnectionPolicy> policies, Func<string, string, bool> targetExists)
    {
        foreach (var policy in policies.OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var entries = _status[policy] = [];
            var invalid = Validate(policy.Spec);
            foreach (var target in policy.Spec.TargetRefs)
            {
                var kind = (target.Group, target.Kind) switch
                {
                    ("", "Service") => ServiceTarget,
                    (GatewayApiNames.Group, "HTTPRoute") => RouteTarget,
                    _ => null,
                };
                V1Condition condition;
                var generation = policy.Generation;
                if (invalid is not null)
                {
                    condition = StatusConditions.Make(Accepted, false, Reasons.Invalid, invalid, generation);
                }
                else if (kind is null)
                {
                    condition = StatusConditions.Make(Accepted, false, Reasons.Invalid, $"targetRef {target.Group}/{target.Kind} is not a Service or an HTTPRoute", generation);
                }
                else if (!targetExists(kind, policy.Namespace + "/" + target.Name))
                {
                    condition = StatusConditions.Make(Accepted, false, Reasons.TargetNotFound, $"{target.Kind} {policy.Namespace}/{target.Name} not found", generation);
                }
                else if (!_byTarget.TryAdd(Key(kind, policy.Namespace, target.Name), policy))
                {
                    condition = StatusConditions.Make(Accepted, false, Conflicted, $"{target.Kind} {target.Name} already has the older ConnectionPolicy {_byTarget[Key(kind, policy.Namespace, target.Name)].Name}", generation);
                }
                else
                {
                    condition = StatusConditions.Make(Accepted, true, Reasons.Accepted, "policy applied", generation);
                }

                entries.Add((target, condition));
            }
        }
    }

    /// <summary>The status of every policy: one ancestor entry per target reference.</summary>
    public IEnumerable<(ConnectionPolicy, PolicyStatus)> Statuses(string controllerName) => _status.Select(kv => (kv.Key, new PolicyStatus
    {
        Ancestors = kv.Value.Select(e => new PolicyAncestorStatus
        {
            AncestorRef = new ParentReference { Group = e.Target.Group, Kind = e.Target.Kind, Name = e.Target.Name, Namespace = kv.Key.Namespace },
            ControllerName = controllerName,
            Conditions = [e.Condition],
        }).ToList(),
    }));

    /// <summary>Backend settings: defaults (least connections for WebSocket backends), the Service's policy, the route's policy.</summary>
    public ConnectionSettings SettingsFor(string ns, string service, bool webSocket, string routeNamespace, string routeName, TimeSpan defaultDrain)
    {
        var settings = new ConnectionSettings
        {
            ConnectionBalance = webSocket ? ChatProxyMetadata.LeastConnections : ChatProxyMetadata.RoundRobin,
            Drain = defaultDrain,
        };
        if (_byTarget.TryGetValue(Key(ServiceTarget, ns, service), out var servicePolicy))
        {
            settings = Apply(settings, servicePolicy.Spec);
        }

        if (_byTarget.TryGetValue(Key(RouteTarget, routeNamespace, routeName), out var routePolicy))
        {
            settings = Apply(settings, routePolicy.Spec);
        }

        return settings;
    }

    /// <summary>The drain time for a route's connections: its own policy's, else the default.</summary>
    public TimeSpan DrainFor(string routeNamespace, string routeName, TimeSpan defaultDrain) =>
        _byTarget.TryGetValue(Key(RouteTarget, routeNamespace, routeName), out var policy) && GatewayDuration.Parse(policy.Spec.DrainTimeout) is { } drain
            ? drain
            : defaultDrain;

    private static ConnectionSettings Apply(ConnectionSettings s, ConnectionPolicySpec p) => s with
    {
        ConnectionBalance = ConnectionBalanceOf(p.Balancing) ?? s.ConnectionBalance,
        RequestBalance = RequestBalanceOf(p.RequestBalancing) ?? s.RequestBalance,
        ReadTimeout = Positive(p.IdleTimeout?.Read) ?? s.ReadTimeout,
        SendTimeout = Positive(p.IdleTimeout?.Send) ?? s.SendTimeout,
        Drain = GatewayDuration.Parse(p.DrainTimeout) ?? s.Drain,
        ReadinessPath = p.ReadinessPath ?? s.ReadinessPath,
        ConnectTimeout = Positive(p.ConnectTimeout) ?? s.ConnectTimeout,
        KeepAliveTimeout = Positive(p.UpstreamKeepAlive?.IdleTimeout) ?? s.KeepAliveTimeout,
        KeepAliveConnections = p.UpstreamKeepAlive?.MaxConnections ?? s.KeepAliveConnections,
    };

    private static string? Validate(ConnectionPolicySpec p)
    {
        if (p.Balancing is not null && ConnectionBalanceOf(p.Balancing) is null)
        {
            return $"balancing \"{p.Balancing}\" is not LeastConnections, RoundRobin or PowerOfTwoChoices";
        }

        if (p.RequestBalancing is not null && RequestBalanceOf(p.RequestBalancing) is null)
        {
            return $"requestBalancing \"{p.RequestBalancing}\" is not RoundRobin, LeastRequests or PowerOfTwoChoices";
        }

        foreach (var (name, value) in new[] { ("idleTimeout.read", p.IdleTimeout?.Read), ("idleTimeout.send", p.IdleTimeout?.Send),
                     ("drainTimeout", p.DrainTimeout), ("connectTimeout", p.ConnectTimeout), ("upstreamKeepAlive.idleTimeout", p.UpstreamKeepAlive?.IdleTimeout) })
        {
            if (value is not null && GatewayDuration.Parse(value) is null)
            {
                return $"{name} \"{value}\" is not a duration like 20m, 1200s or 1h30m";
            }

            if (value is not null && name != "drainTimeout" && GatewayDuration.Parse(value) == TimeSpan.Zero)
            {
                return $"{name} must be longer than 0s";
            }
        }

        if (p.ReadinessPath is { } path && (path.Length < 2 || !path.StartsWith('/')))
        {
            return $"readinessPath \"{path}\" is not a path like /readyz";
        }

        if (p.UpstreamKeepAlive?.MaxConnections is <= 0)
        {
            return "upstreamKeepAlive.maxConnections must be greater than 0";
        }

        return null;
    }

    private static TimeSpan? Positive(string? value) => GatewayDuration.Parse(value) is { } t && t > TimeSpan.Zero ? t : null;

    /// <summary>The policy's balancing names (spec.balancing) as the proxy core's modes.</summary>
    public static IReadOnlyDictionary<string, string> ConnectionBalancing { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LeastConnections"] = ChatProxyMetadata.LeastConnections,
        ["RoundRobin"] = ChatProxyMetadata.RoundRobin,
        ["PowerOfTwoChoices"] = ChatProxyMetadata.PowerOfTwoChoices,
    };

    /// <summary>The policy's request balancing names (spec.requestBalancing) as the proxy core's modes.</summary>
    public static IReadOnlyDictionary<string, string> RequestBalancing { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RoundRobin"] = ChatProxyMetadata.RoundRobin,
        ["LeastRequests"] = ChatProxyMetadata.LeastRequests,
        ["PowerOfTwoChoices"] = ChatProxyMetadata.PowerOfTwoChoices,
    };

    private static string? ConnectionBalanceOf(string? value) => value is not null && ConnectionBalancing.TryGetValue(value, out var mode) ? mode : null;

    private static string? RequestBalanceOf(string? value) => value is not null && RequestBalancing.TryGetValue(value, out var mode) ? mode : null;

    private static string Key(string kind, string ns, string name) => $"{kind}|{ns}/{name}";
}
