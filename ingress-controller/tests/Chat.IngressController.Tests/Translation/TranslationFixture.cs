using Chat.IngressController.Hosting;
using Chat.IngressController.Translation;
using k8s;
using k8s.Models;

namespace Chat.IngressController.Tests.Translation;

/// <summary>Real Kubernetes YAML in, translation out.</summary>
public static class TranslationFixture
{
    public static readonly IngressControllerOptions Options = new();

    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml);

    public static List<object> LoadFile(string name) =>
        Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Translation", "Yaml", name)));

    public static TranslationResult Translate(IEnumerable<object> objects, IDictionary<string, string>? configMap = null,
        IReadOnlyDictionary<string, DateTimeOffset>? drainingSince = null, DateTimeOffset? now = null, IngressControllerOptions? options = null) =>
        IngressTranslator.Translate(ClusterState.From(objects, configMap, drainingSince, now), options ?? Options);

    public static TranslationResult Translate(string yaml) => Translate(Load(yaml));

    /// <summary>Backing objects for a Service "web" in namespace "default" with ready endpoints on port 8080.</summary>
    public static string Backend(string service = "web", string ns = "default", params string[] addresses) => $$"""
        apiVersion: v1
        kind: Service
        metadata: { name: {{service}}, namespace: {{ns}} }
        spec:
          ports: [{ name: http, port: 80, targetPort: 8080 }]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {{service}}-1
          namespace: {{ns}}
          labels: { kubernetes.io/service-name: {{service}} }
        addressType: IPv4
        ports: [{ name: http, port: 8080 }]
        endpoints:
        {{string.Join("\n", (addresses.Length == 0 ? ["10.1.0.1"] : addresses).Select(a => $"- addresses: [\"{a}\"]"))}}
        """;

    /// <summary>An Ingress of class "chat" in "default" with the given annotations and spec (YAML, indented 2).</summary>
    public static string Ingress(string name, string spec, string annotations = "{}", string ns = "default", string created = "2026-01-01T00:00:00Z") => IngressYaml(name, spec, annotations.ReplaceLineEndings(" "), ns, created);

    private static string IngressYaml(string name, string spec, string annotations, string ns, string created) => $$"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{name}}
          namespace: {{ns}}
          creationTimestamp: "{{created}}"
          annotations: {{annotations}}
        spec:
          ingressClassName: chat
        {{spec}}
        """;

    public static string SimpleRule(string host = "example.com", string path = "/", string pathType = "Prefix", string service = "web") => $$"""
          rules:
          - host: "{{host}}"
            http:
              paths:
              - path: {{path}}
                pathType: {{pathType}}
                backend: { service: { name: {{service}}, port: { number: 80 } } }
        """;

    public static V1Ingress IngressNamed(TranslationResult result, string name) => result.OwnIngresses.Single(i => i.Metadata.Name == name);
}
