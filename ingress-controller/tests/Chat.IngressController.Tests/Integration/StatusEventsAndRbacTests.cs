using Chat.IngressController.Kubernetes;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using k8s.Models;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Integration;

/// <summary>Leader election, Ingress status, Events for bad annotations, and the RBAC the code really needs.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class StatusEventsAndRbacTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Leader_writes_status_of_own_ingresses_and_events_for_bad_annotations_while_both_replicas_serve()
    {
        await using var backend = await EchoBackend.StartAsync("web");
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(IngressClass());
        api.Apply(Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.7"));
        api.Apply(Service("web", "web"));
        foreach (var slice in Slices("web", "web", [(backend.Port, true, true, false)]))
        {
            api.Apply(slice);
        }

        api.Apply(Ingress("web", "good", "web", host: "good.example.com"));
        api.Apply(Ingress("web", "bad", "web", host: "bad.example.com", annotations: new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "forever",
        }));
        api.Apply(Ingress("web", "foreign", "web", host: "foreign.example.com", className: "nginx"));

        await using var first = await ControllerHost.StartAsync(api, "controller-0");
        await using var second = await ControllerHost.StartAsync(api, "controller-1");

        Assert.True(await Eventually.TrueAsync(() => first.Leader.IsLeader ^ second.Leader.IsLeader, TimeSpan.FromSeconds(15)), "exactly one leader");
        var lease = api.Get<V1Lease>("coordination.k8s.io", "leases", ControllerHost.Namespace, "chat-ingress-controller-leader");
        Assert.Equal(first.Leader.IsLeader ? "controller-0" : "controller-1", lease!.Spec.HolderIdentity);

        // Status: own Ingresses get the controller Service's address, the foreign one is left alone.
        Assert.True(await Eventually.TrueAsync(() => StatusIp(api, "good") == "203.0.113.7" && StatusIp(api, "bad") == "203.0.113.7", TimeSpan.FromSeconds(15)));
        Assert.Null(StatusIp(api, "foreign"));

        // The bad annotation is an Event on that Ingress; both Ingresses serve on both replicas.
        Assert.True(await Eventually.TrueAsync(
            () => api.All<Corev1Event>("", "events").Any(e => e.InvolvedObject.Name == "bad" && e.Reason == "InvalidAnnotation" && e.Type == "Warning"),
            TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(api.All<Corev1Event>("", "events"), e => e.InvolvedObject.Name == "good");
        foreach (var controller in new[] { first, second })
        {
            foreach (var host in new[] { "good.example.com", "bad.example.com" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(controller.Http, "/")) { Headers = { Host = host } };
                using var response = await Http.SendAsync(request);
                Assert.Equal("web / 0", await response.Content.ReadAsStringAsync());
            }
        }

        // Status changes follow the Service.
        api.Apply(Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.8"));
        Assert.True(await Eventually.TrueAsync(() => StatusIp(api, "good") == "203.0.113.8", TimeSpan.FromSeconds(15)));

        // Least privilege: every request the controllers made is covered by the declared permissions.
        var requests = api.Requests;
        Assert.All(requests, r => Assert.True(ControllerPermissions.Covers(r.ApiGroup, r.Resource, r.Verb, r.Namespace is not null),
            $"{r.Method} {r.Path} needs {r.Verb} on {r.ApiGroup}/{r.Resource}, which ControllerPermissions.Required does not list"));
        foreach (var needed in new[] { ("networking.k8s.io", "ingresses/status", "patch"), ("", "events", "create"), ("coordination.k8s.io", "leases", "create") })
        {
            Assert.Contains(requests, r => (r.ApiGroup, r.Resource, r.Verb) == needed);
        }
    }

    private static string? StatusIp(FakeKubeApiServer api, string name) =>
        api.Get<V1Ingress>("networking.k8s.io", "ingresses", "web", name)?.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.Ip;
}
