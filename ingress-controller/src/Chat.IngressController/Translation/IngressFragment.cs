using System.Globalization;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// What one Ingress translates to on its own, before the rules of older Ingresses are known: its steps in order
/// (problems, TLS hosts, rules with their prebuilt routes). <see cref="IngressTranslator"/> replays the steps of every
/// Ingress, oldest first, to settle conflicts; a fragment is kept while its Ingress, the defaults and the Secrets it
/// looked at stay the same, so the routes of an unchanged Ingress stay the same instances.
/// </summary>
public sealed class IngressFragment
{
    private IngressFragment(string key, V1Ingress ingress, BackendSettings settings, List<IngressStep> steps, List<(string Key, V1Secret? Secret)> secrets)
    {
        Key = key;
        Ingress = ingress;
        Settings = settings;
        Steps = steps;
        Secrets = secrets;
    }

    /// <summary>"namespace/name" of the Ingress.</summary>
    public string Key { get; }

    public V1Ingress Ingress { get; }
    public BackendSettings Settings { get; }
    public IReadOnlyList<IngressStep> Steps { get; }

    /// <summary>The TLS Secrets looked at, as found then (null: missing).</summary>
    public IReadOnlyList<(string Key, V1Secret? Secret)> Secrets { get; }

    public bool IsCurrent(V1Ingress ingress, ClusterState state)
    {
        if (!ReferenceEquals(ingress, Ingress))
        {
            return false;
        }

        foreach (var (key, secret) in Secrets)
        {
            if (!ReferenceEquals(state.Secrets.GetValueOrDefault(key), secret))
            {
                return false;
            }
        }

        return true;
    }

    public static IngressFragment Create(ClusterState state, V1Ingress ingress, BackendSettings defaults)
    {
        var ns = ingress.Metadata.NamespaceProperty;
        var name = ingress.Metadata.Name;
        var steps = new List<IngressStep>();
        var secrets = new List<(string, V1Secret?)>();
        var messages = new List<string>();
        var settings = SettingsParser.FromAnnotations(defaults, ingress.Metadata.Annotations, messages);
        steps.AddRange(messages.Select(m => new IngressStep.Problem(new IngressProblem(ingress, "InvalidAnnotation", m))));

        var ownTls = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in ingress.Spec?.Tls ?? [])
        {
            var secretKey = ns + "/" + entry.SecretName;
            var secret = entry.SecretName is null ? null : state.Secrets.GetValueOrDefault(secretKey);
            if (entry.SecretName is not null)
            {
                secrets.Add((secretKey, secret));
            }

            var hasSecret = secret?.Data?.ContainsKey("tls.crt") == true && secret.Data.ContainsKey("tls.key");
            if (!hasSecret)
            {
                steps.Add(new IngressStep.Problem(new IngressProblem(ingress, "TlsSecretMissing",
                    $"TLS secret {secretKey} not found or not a kubernetes.io/tls secret; its hosts are served with the default certificate")));
            }

            foreach (var host in entry.Hosts ?? [])
            {
                ownTls.Add(host);
                if (hasSecret)
                {
                    steps.Add(new IngressStep.Tls(new TlsBinding(host, secretKey, ingress)));
                }
            }
        }

        IngressStep.Rule Rule(string claim, IngressProblem conflict, V1IngressBackend? backend, Func<string, RouteConfig> route)
        {
            if (backend?.Service is not { } service)
            {
                return new IngressStep.Rule(claim, conflict, null, null, new IngressProblem(ingress, "UnsupportedBackend", "only service backends are supported"));
            }

            var port = service.Port?.Number?.ToString(CultureInfo.InvariantCulture) ?? service.Port?.Name ?? "";
            var clusterId = $"{ns}/{name}/{service.Name}:{port}";
            return new IngressStep.Rule(claim, conflict, route(clusterId), new BackendRef(clusterId, ns + "/" + service.Name, service), null);
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
                    steps.Add(new IngressStep.Problem(new IngressProblem(ingress, "InvalidPath", error!)));
                    continue;
                }

                var conflict = new IngressProblem(ingress, "RuleConflict",
                    $"host \"{host ?? "*"}\" path \"{path.Path}\" is already served by an older Ingress; this rule is ignored");
                var redirect = settings.ForceSslRedirect || (settings.SslRedirect && host is not null && ownTls.Contains(host));
                var (routeId, order) = ($"{ns}/{name}/{r}/{p}", RouteMatchBuilder.Order(host, path.Path, pathType));
                steps.Add(Rule($"{host?.ToLowerInvariant()} {template}", conflict, path.Backend,
                    clusterId => RouteConfigFactory.Create(routeId, clusterId, host, template, order, settings, redirect, $"{ns}/{name}")));
            }
        }

        if (ingress.Spec?.DefaultBackend is { } defaultBackend)
        {
            const string template = "/{**catch-all}";
            var conflict = new IngressProblem(ingress, "RuleConflict", "the default backend is already set by an older Ingress; this one is ignored");
            steps.Add(Rule("default-backend", conflict, defaultBackend, clusterId => RouteConfigFactory.Create($"{ns}/{name}/default", clusterId, null, template,
                RouteMatchBuilder.Order(null, "/", RouteMatchBuilder.DefaultBackendPathType), settings, settings.ForceSslRedirect, $"{ns}/{name}")));
        }

        return new IngressFragment(ns + "/" + name, ingress, settings, steps, secrets);
    }
}

/// <summary>A Service backend of an Ingress, the id of its cluster ("namespace/ingress/service:port") and the Service's key.</summary>
public sealed record BackendRef(string ClusterId, string ServiceKey, V1IngressServiceBackend Service);

/// <summary>One step of an <see cref="IngressFragment"/>, replayed in order.</summary>
public abstract record IngressStep
{
    private IngressStep()
    {
    }

    /// <summary>A problem of the Ingress itself (annotation, path, missing Secret).</summary>
    public sealed record Problem(IngressProblem Value) : IngressStep;

    /// <summary>A TLS host with a usable Secret: served with it unless an older Ingress took the host.</summary>
    public sealed record Tls(TlsBinding Binding) : IngressStep;

    /// <summary>
    /// A rule: unless an older Ingress claimed the same host and path (then <paramref name="Conflict"/>), its route and
    /// backend, or <paramref name="Unsupported"/> when the backend is not a Service.
    /// </summary>
    public sealed record Rule(string Claim, IngressProblem Conflict, RouteConfig? Route, BackendRef? Backend, IngressProblem? Unsupported) : IngressStep;
}
