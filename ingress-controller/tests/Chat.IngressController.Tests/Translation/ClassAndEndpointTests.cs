using Chat.IngressController.Hosting;
using Chat.IngressController.Translation;
using static Chat.IngressController.Tests.Translation.TranslationFixture;

namespace Chat.IngressController.Tests.Translation;

public sealed class ClassAndEndpointTests
{
    private static string Plain(string name, string classSpec, string annotations = "{}") => $$"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: { name: {{name}}, namespace: default, annotations: {{annotations}} }
        spec:
          {{classSpec}}
          rules: [ { host: {{name}}.example.com, http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } } ] } } ]
        """;

    private const string OwnClass = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: { name: websockets, annotations: { ingressclass.kubernetes.io/is-default-class: "true" } }
        spec: { controller: chat.io/ingress-controller }
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: { name: chat }
        spec: { controller: k8s.io/ingress-nginx }
        """;

    [Fact]
    public void Class_by_ingress_class_object_legacy_annotation_and_default_class()
    {
        var yaml = string.Join("\n---\n", Backend(), OwnClass,
            Plain("byclass", "ingressClassName: websockets"),
            Plain("legacy", "", """{ kubernetes.io/ingress.class: websockets }"""),
            Plain("noclass", ""),
            Plain("foreign", "ingressClassName: nginx"),
            Plain("takenname", "ingressClassName: chat"));

        var own = Translate(yaml).OwnIngresses.Select(i => i.Metadata.Name).Order();

        // "chat" is this controller's default class name, but here an IngressClass of that name belongs to another controller.
        Assert.Equal(["byclass", "legacy", "noclass"], own);
    }

    [Fact]
    public void Without_ingress_class_objects_the_configured_class_name_counts_and_classless_ones_only_when_asked()
    {
        var yaml = string.Join("\n---\n", Backend(), Plain("named", "ingressClassName: chat"), Plain("noclass", ""),
            Plain("legacy", "", """{ kubernetes.io/ingress.class: chat }"""));

        var strict = Translate(Load(yaml)).OwnIngresses.Select(i => i.Metadata.Name).Order();
        var loose = Translate(Load(yaml), options: new IngressControllerOptions { WatchIngressWithoutClass = true }).OwnIngresses.Select(i => i.Metadata.Name).Order();

        Assert.Equal(["legacy", "named"], strict);
        Assert.Equal(["legacy", "named", "noclass"], loose);
    }

    [Fact]
    public void Draining_endpoints_leave_after_their_drain_timeout()
    {
        var objects = LoadFile("reference.yaml");
        var since = new Dictionary<string, DateTimeOffset> { ["http://10.0.0.3:8080"] = DateTimeOffset.Parse("2026-01-01T00:00:00Z") };

        var within = Translate(objects, drainingSince: since, now: DateTimeOffset.Parse("2026-01-01T00:00:29Z"));
        var after = Translate(objects, drainingSince: since, now: DateTimeOffset.Parse("2026-01-01T00:00:31Z"));

        Assert.Contains("10.0.0.3:8080", Assert.Single(within.Clusters).Destinations!.Keys);
        Assert.DoesNotContain("10.0.0.3:8080", Assert.Single(after.Clusters).Destinations!.Keys);
    }

    [Fact]
    public void Named_service_port_maps_to_the_slice_port_of_that_name()
    {
        var yaml = """
            apiVersion: v1
            kind: Service
            metadata: { name: multi, namespace: default }
            spec:
              ports: [ { name: metrics, port: 9090 }, { name: web, port: 80 } ]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: { name: multi-1, namespace: default, labels: { kubernetes.io/service-name: multi } }
            addressType: IPv4
            ports: [ { name: metrics, port: 19090 }, { name: web, port: 18080 } ]
            endpoints: [ { addresses: ["10.2.0.1"] }, { addresses: ["fd00::1"] } ]
            ---
            """ + "\n" + Ingress("m", """
              rules: [ { http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: multi, port: { name: web } } } } ] } } ]
            """);

        var destinations = Assert.Single(Translate(yaml).Clusters).Destinations!;

        Assert.Equal(["http://10.2.0.1:18080", "http://[fd00::1]:18080"], destinations.Values.Select(d => d.Address).Order());
    }
}
