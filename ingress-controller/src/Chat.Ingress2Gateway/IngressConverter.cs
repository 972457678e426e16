using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Translation;
using k8s.Models;

namespace Chat.Ingress2Gateway;

/// <summary>Everything converted: the Gateway API objects in apply order, and what could not be expressed.</summary>
public sealed record ConversionResult(IReadOnlyList<GatewayApiObject> Objects, IReadOnlyList<string> Warnings);

/// <summary>
/// Ingresses to Gateway API objects: one Gateway per namespace (an HTTP listener per host, an HTTPS one per TLS host
/// with its Secret), one HTTPRoute per Ingress and host (paths of one backend in one rule; Prefix and
/// ImplementationSpecific as PathPrefix, Exact as Exact; the default backend as PathPrefix / on every host), and one
/// ConnectionPolicy per Ingress on the Services it uses, for what the annotations say and the standard lacks.
/// </summary>
public static class IngressConverter
{
    private const string HttpsSuffix = "-https";

    public static ConversionResult Convert(IReadOnlyList<V1Ingress> ingresses, ConversionOptions options)
    {
        var warnings = new List<string>();
        var gateways = new Dictionary<string, Gateway>(StringComparer.Ordinal);
        var routes = new List<HttpRoute>();
        var policies = new List<ConnectionPolicy>();
        var policyByService = new Dictionary<string, (ConnectionPolicy Policy, string Spec)>(StringComparer.Ordinal);
        foreach (var ingress in ingresses)
        {
            var ns = ingress.Metadata?.NamespaceProperty;
            var name = ingress.Metadata?.Name is { Length: > 0 } n ? n : throw new ConversionException("an Ingress has no metadata.name");
            var id = $"Ingress {(ns is null ? "" : ns + "/")}{name}";
            void Warn(string message) => warnings.Add($"{id}: {message}");

            var policy = PolicyConverter.Convert(ingress.Metadata!.Annotations, Warn);
            var tlsHosts = (ingress.Spec?.Tls ?? []).SelectMany(t => (t.Hosts ?? []).Select(h => (Host: h, t.SecretName))).ToList();
            var gateway = options.Gateway is null ? GatewayFor(gateways, ns, options) : null;
            var parent = ParentFor(options, ns);
            var backendServices = new List<string>();

            HttpBackendRef? Backend(V1IngressBackend? backend, string where)
            {
                if (backend?.Resource is not null)
                {
                    Warn($"{where}: resource backend {backend.Resource.Kind} {backend.Resource.Name} is not converted (HTTPRoutes route to Services)");
                    return null;
                }

                if (backend?.Service is not { Name.Length: > 0 } service)
                {
                    throw new ConversionException($"{id}: {where} has no backend service name");
                }

                if (service.Port?.Number is not { } port)
                {
                    Warn($"{where}: service {service.Name} port \"{service.Port?.Name}\" is a name; a backendRef needs the port number, the path is left out");
                    return null;
                }

                if (!backendServices.Contains(service.Name))
                {
                    backendServices.Add(service.Name);
                }

                return new HttpBackendRef { Name = service.Name, Port = port };
            }

            // Rules by host, in order; a rule per backend with every path to it.
            var byHost = new List<(string? Host, List<HttpRouteRule> Rules)>();
            List<HttpRouteRule> RulesOf(string? host)
            {
                var entry = byHost.FirstOrDefault(h => h.Host == host);
                if (entry.Rules is null)
                {
                    entry = (host, []);
                    byHost.Add(entry);
                }

                return entry.Rules;
            }

            void AddPath(string? host, HttpPathMatch match, HttpBackendRef backend)
            {
                var rules = RulesOf(host);
                var rule = rules.FirstOrDefault(r => r.BackendRefs![0].Name == backend.Name && r.BackendRefs[0].Port == backend.Port);
                if (rule is null)
                {
                    rules.Add(rule = new HttpRouteRule { Matches = [], BackendRefs = [backend] });
                }

                rule.Matches!.Add(new HttpRouteMatch { Path = match });
            }

            foreach (var rule in ingress.Spec?.Rules ?? [])
            {
                var host = string.IsNullOrEmpty(rule.Host) ? null : rule.Host;
                foreach (var path in rule.Http?.Paths ?? [])
                {
                    var type = path.PathType ?? "ImplementationSpecific";
                    if (RouteMatchBuilder.Template(path.Path, type, out var error) is null)
                    {
                        throw new ConversionException($"{id}: {error}");
                    }

                    var value = string.IsNullOrEmpty(path.Path) ? "/" : path.Path;
                    if (Backend(path.Backend, $"host \"{host ?? "*"}\" path \"{value}\"") is { } backend)
                    {
                        AddPath(host, new HttpPathMatch { Type = type == "Exact" ? "Exact" : "PathPrefix", Value = value }, backend);
                    }
                }
            }

            if (ingress.Spec?.DefaultBackend is { } defaultBackend && Backend(defaultBackend, "the default backend") is { } fallback)
            {
                // Everything the rules do not match, on any host: a PathPrefix / rule (the longest match wins in an HTTPRoute).
                foreach (var host in byHost.Select(h => h.Host).Append(null).Distinct().ToList())
                {
                    AddPath(host, new HttpPathMatch { Type = "PathPrefix", Value = "/" }, fallback);
                }
            }

            if (byHost.Count == 0)
            {
                Warn("no rules with service backends and no default backend: nothing to route");
            }

            foreach (var (host, rules) in byHost)
            {
                var tls = host is not null && tlsHosts.Any(t => t.Host == host);
                gateway?.Spec.Listeners.AddIfMissing(Listener(host, tls: false, secret: null));
                if (tls)
                {
                    gateway?.Spec.Listeners.AddIfMissing(Listener(host, tls: true, tlsHosts.First(t => t.Host == host).SecretName));
                }

                var routeName = byHost.Count == 1 ? name : $"{name}-{ListenerName(host)}";
                var redirect = policy.ForceSslRedirect || (tls && policy.SslRedirect);
                if (redirect && gateway is null)
                {
                    Warn($"host \"{host ?? "*"}\": the HTTP to HTTPS redirect is not converted with --gateway (its listeners are not known); attach a redirect route yourself");
                    redirect = false;
                }
                else if (redirect && !tls)
                {
                    Warn($"host \"{host ?? "*"}\": force-ssl-redirect without a TLS entry for the host is not converted");
                    redirect = false;
                }

                routes.Add(Route(ns, routeName, host, redirect ? Section(parent, ListenerName(host) + HttpsSuffix) : parent, rules));
                if (redirect)
                {
                    routes.Add(Route(ns, routeName + "-redirect", host, Section(parent, ListenerName(host) + "-http"),
                        [new HttpRouteRule { Filters = [new HttpRouteFilter { Type = "RequestRedirect", RequestRedirect = new HttpRequestRedirectFilter { Scheme = "https", StatusCode = 301 } }] }]));
                }
            }

            foreach (var (host, _) in tlsHosts.Where(t => byHost.All(h => h.Host != t.Host)))
            {
                Warn($"TLS host \"{host}\" has no rule; no listener is written for it");
            }

            if (backendServices.Count > 0 && Policy(ns, name, policy.Spec, backendServices, policyByService, Warn) is { } written)
            {
                policies.Add(written);
            }
        }

        return new ConversionResult([.. gateways.Values, .. routes, .. policies], warnings);
    }

    private static Gateway GatewayFor(Dictionary<string, Gateway> gateways, string? ns, ConversionOptions options)
    {
        var className = options.GatewayClass;
        if (!gateways.TryGetValue(ns ?? "", out var gateway))
        {
            gateways[ns ?? ""] = gateway = new Gateway
            {
                ApiVersion = GatewayApiNames.ApiVersion, Kind = GatewayApiNames.GatewayKind,
                Metadata = new V1ObjectMeta { Name = className, NamespaceProperty = ns },
                Spec = new GatewaySpec
                {
                    GatewayClassName = className,
                    Addresses = options.ControllerService is { } service ? [new GatewayAddress { Type = "NamedAddress", Value = service }] : null,
                },
            };
        }

        return gateway;
    }

    private static ParentReference ParentFor(ConversionOptions options, string? ns) => options.Gateway is { } g
        ? new ParentReference { Name = g.Name, Namespace = g.Namespace is null || g.Namespace == ns ? null : g.Namespace }
        : new ParentReference { Name = options.GatewayClass };

    private static ParentReference Section(ParentReference parent, string section) =>
        new() { Name = parent.Name, Namespace = parent.Namespace, SectionName = section };

    /// <summary>A listener name from its host: homedev-http, wildcard-example-com-https; "http"/"https" for any host.</summary>
    private static string ListenerName(string? host) =>
        host is null ? "any" : host.Replace("*", "wildcard", StringComparison.Ordinal).Replace('.', '-').ToLowerInvariant();

    private static Listener Listener(string? host, bool tls, string? secret) => new()
    {
        Name = host is null ? (tls ? "https" : "http") : ListenerName(host) + (tls ? HttpsSuffix : "-http"),
        Hostname = host,
        Port = tls ? 443 : 80,
        Protocol = tls ? "HTTPS" : "HTTP",
        Tls = tls ? new GatewayTlsConfig { Mode = "Terminate", CertificateRefs = [new SecretObjectReference { Group = "", Kind = "Secret", Name = secret ?? "" }] } : null,
        AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = "Same" } },
    };

    private static void AddIfMissing(this IList<Listener> listeners, Listener listener)
    {
        if (listeners.All(l => l.Name != listener.Name))
        {
            listeners.Add(listener);
        }
    }

    private static HttpRoute Route(string? ns, string name, string? host, ParentReference parent, List<HttpRouteRule> rules) => new()
    {
        ApiVersion = GatewayApiNames.ApiVersion, Kind = GatewayApiNames.HttpRouteKind,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HttpRouteSpec { ParentRefs = [parent], Hostnames = host is null ? null : [host], Rules = rules },
    };

    /// <summary>The Ingress's policy on its Services; a Service another Ingress's policy already targets with other settings is left to that one, with a warning.</summary>
    private static ConnectionPolicy? Policy(string? ns, string name, ConnectionPolicySpec spec, List<string> services,
        Dictionary<string, (ConnectionPolicy Policy, string Spec)> byService, Action<string> warn)
    {
        var policy = new ConnectionPolicy
        {
            ApiVersion = $"{GatewayApiNames.PolicyGroup}/{GatewayApiNames.PolicyVersion}", Kind = GatewayApiNames.PolicyKind,
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = spec,
        };
        var text = k8s.KubernetesYaml.Serialize(spec);
        foreach (var service in services)
        {
            if (byService.TryGetValue($"{ns}/{service}", out var other) && other.Spec != text)
            {
                warn($"Service {service} is also used by Ingress {other.Policy.Name} with other settings; ConnectionPolicy {other.Policy.Name} keeps it (one policy per Service)");
                continue;
            }

            byService.TryAdd($"{ns}/{service}", (policy, text));
            spec.TargetRefs.Add(new LocalPolicyTargetReference { Group = "", Kind = "Service", Name = service });
        }

        return spec.TargetRefs.Count > 0 ? policy : null;
    }
}
