using Chat.Testing.Kubernetes.Cluster;
using Chat.Testing.Kubernetes.FakeApi;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Tests;

/// <summary>The harness's EndpointSlice controller writes a slice only when it changes, and only its own Service's.</summary>
public sealed class EndpointSliceControllerTests
{
    [Fact]
    public async Task Services_whose_names_share_a_prefix_leave_each_others_slices_alone()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        var writes = new List<string>();
        api.Changed += (resource, type, item) =>
        {
            if (resource.EndsWith("/endpointslices", StringComparison.Ordinal))
            {
                lock (writes)
                {
                    writes.Add($"{type} {item["metadata"]?["name"]}");
                }
            }
        };
        var endpoints = new EndpointSliceController(api, () => []);
        V1Service[] services = [Service("chat"), Service("chat-ws"), Service("chat-ingress-controller")];

        endpoints.Reconcile(services);
        endpoints.Reconcile(services);
        endpoints.Reconcile(services);

        lock (writes)
        {
            Assert.Equal(["chat-0", "chat-ws-0", "chat-ingress-controller-0"], writes.Select(w => w.Split(' ')[1]));
            Assert.DoesNotContain(writes, w => w.StartsWith("DELETED", StringComparison.Ordinal));
        }

        Assert.NotNull(api.GetJson("EndpointSlice", "chat", "chat-ws-0"));
        Assert.NotNull(api.GetJson("EndpointSlice", "chat", "chat-ingress-controller-0"));
    }

    private static V1Service Service(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "chat" },
        Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = name }, Ports = [new V1ServicePort { Name = "http", Port = 8000 }] },
    };
}
