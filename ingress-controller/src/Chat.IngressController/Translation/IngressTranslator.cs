using System.Globalization;
using Chat.IngressController.Hosting;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// The pure function at the heart of the controller: watched objects in, YARP routes and clusters, TLS hosts and
/// per-Ingress problems out. Each Ingress is translated on its own, so a broken one only loses its own rules.
/// Conflicting rules (same host, path and type) go to the oldest Ingress, as with ingress-nginx.
/// </summary>
public static class IngressTranslator
{
    public static TranslationResult Translate(ClusterState state, IngressControllerOptions options)
    {
        var filter = new IngressClassFilter(options, state.IngressClasses);
        var globalProblems = new List<string>();
        var baseline = new BackendSettings { DrainTimeout = TimeSpan.FromSeconds(options.DefaultDrainSeconds) };
        var defaults = SettingsParser.FromConfigMap(baseline, state.ConfigMapData, globalProblems);

        var own = state.Ingresses.Where(filter.IsOwn)
            .OrderBy(i => i.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(i => i.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
            .ToList();

        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var tls = new List<TlsBinding>();
        var problems = new List<IngressProblem>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var tlsHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var ingress in own)
        {
            try
            {
                TranslateOne(state, ingress, defaults, claimed, tlsHosts, routes, clusters, tls, problems);
            }
            catch (Exception e)
            {
                // Defensive: whatever an Ingress contains, it must not take the others down.
                problems.Add(new IngressProblem(ingress, "TranslationFailed", e.Message));
            }
        }

        return new TranslationResult(routes, clusters, tls, problems, own, globalProblems);
    }

    private static void TranslateOne(ClusterState state, V1Ingress ingress, BackendSettings defaults, HashSet<string> claimed,
        HashSet<string> tlsHosts, List<RouteConfig> routes, List<ClusterConfig> clusters, List<TlsBinding> tls, List<IngressProblem> problems)
    {
        var ns = ingress.Metadata.NamespaceProperty;
        var name = ingress.Metadata.Name;
        var messages = new List<string>();
        var settings = SettingsParser.FromAnnotations(defaults, ingress.Metadata.Annotations, messages);
        problems.AddRange(messages.Select(m => new IngressProblem(ingress, "InvalidAnnotation", m)));

        var ownTls = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in ingress.Spec?.Tls ?? [])
        {
            var secretKey = ns + "/" + entry.SecretName;
            var hasSecret = entry.SecretName is not null && state.Secrets.TryGetValue(secretKey, out var secret)
                && secret.Data?.ContainsKey("tls.crt") == true && secret.Data.ContainsKey("tls.key");
            if (!hasSecret)
            {
                problems.Add(new IngressProblem(ingress, "TlsSecretMissing",
                    $"TLS secret {secretKey} not found or not a kubernetes.io/tls secret; its hosts are served with the default certificate"));
            }

            foreach (var host in entry.Hosts ?? [])
            {
                ownTls.Add(host);
                if (hasSecret && tlsHosts.Add(host))
                {
                    tls.Add(new TlsBinding(host, secretKey, ingress));
                }
            }
        }

        var clusterIds = new Dictionary<string, string>(StringComparer.Ordinal);
        string? ClusterFor(V1IngressBackend? backend)
        {
            if (backend?.Service is not { } service)
            {
                problems.Add(new IngressProblem(ingress, "UnsupportedBackend", "only service backends are supported"));
                return null;
            }

            var port = service.Port?.Number?.ToString(CultureInfo.InvariantCulture) ?? service.Port?.Name ?? "";
            var id = $"{ns}/{name}/{service.Name}:{port}";
            if (!clusterIds.ContainsKey(id))
            {
                var backendProblems = new List<string>();
                var destinations = BackendResolver.Resolve(state, ns, service, settings.DrainTimeout, backendProblems);
                problems.AddRange(backendProblems.Select(m => new IngressProblem(ingress, "BackendNotFound", m)));
                clusters.Add(ClusterConfigFactory.Create(id, settings, destinations));
                clusterIds[id] = id;
            }

            return id;
        }

        var rules = ingress.Spec?.Rules ?? [];
        for (var r = 0; r < rules.Count; r++)
        {
            var host = string.IsNullOrEmpty(rules[r].Host) ? null : rules[r].Host;
            var paths = rules[r].Http?.Paths ?? [];
            for (var p = 0; p < paths.Count; p++)
            {
                var path = paths[p];
                var pathType = path.PathType ?? "ImplementationSpecific";
                var template = RouteMatchBuilder.Template(path.Path, pathType, out var error);
                if (template is null)
                {
                    problems.Add(new IngressProblem(ingress, "InvalidPath", error!));
                    continue;
                }

                if (!claimed.Add($"{host?.ToLowerInvariant()} {template}"))
                {
                    problems.Add(new IngressProblem(ingress, "RuleConflict",
                        $"host \"{host ?? "*"}\" path \"{path.Path}\" is already served by an older Ingress; this rule is ignored"));
                    continue;
                }

                if (ClusterFor(path.Backend) is { } clusterId)
                {
                    var redirect = settings.ForceSslRedirect || (settings.SslRedirect && host is not null && ownTls.Contains(host));
                    routes.Add(RouteConfigFactory.Create($"{ns}/{name}/{r}/{p}", clusterId, host, template,
                        RouteMatchBuilder.Order(host, path.Path, pathType), settings, redirect, $"{ns}/{name}"));
                }
            }
        }

        if (ingress.Spec?.DefaultBackend is { } defaultBackend)
        {
            const string template = "/{**catch-all}";
            if (!claimed.Add("default-backend"))
            {
                problems.Add(new IngressProblem(ingress, "RuleConflict", "the default backend is already set by an older Ingress; this one is ignored"));
            }
            else if (ClusterFor(defaultBackend) is { } clusterId)
            {
                routes.Add(RouteConfigFactory.Create($"{ns}/{name}/default", clusterId, null, template,
                    RouteMatchBuilder.Order(null, "/", RouteMatchBuilder.DefaultBackendPathType), settings, settings.ForceSslRedirect, $"{ns}/{name}"));
            }
        }
    }
}
