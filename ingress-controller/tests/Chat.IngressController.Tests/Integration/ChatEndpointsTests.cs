using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using k8s.Models;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Integration;

/// <summary>
/// Real chat replicas on loopback play the pods behind an EndpointSlice; clients connect through the controller:
/// scale-out, drain of a terminating endpoint, and config changes under open WebSockets.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ChatEndpointsTests
{
    private const string Ns = "chat";

    private static readonly Dictionary<string, string> ChatAnnotations = new()
    {
        // The reference Ingress's settings, plus readiness probing: it feeds the replicas' connection counts to least-connections.
        ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "1200",
        ["nginx.ingress.kubernetes.io/proxy-send-timeout"] = "1200",
        ["nginx.ingress.kubernetes.io/load-balance"] = "least_conn",
        ["chat.io/readiness-path"] = "/readyz",
    };

    [Fact]
    public async Task Scaling_the_endpoint_slice_from_2_to_4_sends_new_connections_to_the_new_replicas_and_rebalancing_follows()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(["r1", "r2"], redis);
        {
            await using var api = await FakeKubeApiServer.StartAsync();
            ApplyChat(api, replicas.All.Select(r => (r.Port, true, true, false)));
            await using var controller = await ControllerHost.StartReadyAsync(api);

            await using var pool = await ClientPool.OpenAsync(controller.HttpPort, 40);
            Assert.Equal(["r1", "r2"], pool.Counts().Keys.Order());

            await replicas.AddAsync(["r3", "r4"]);
            var generation = controller.Applier.Generation;
            ApplyChat(api, replicas.All.Select(r => (r.Port, true, true, false)));
            Assert.True(await controller.AppliedAfterAsync(generation));
            var scaledAt = DateTime.UtcNow;
            await pool.OpenMoreAsync(4);

            // The loaded replicas hand their excess over; clients reconnect through the controller and land on the new ones.
            var balanced = await Eventually.TrueAsync(() =>
            {
                var counts = pool.Counts();
                var mean = counts.Values.Sum() / 4.0;
                return counts.Count == 4 && counts.Values.Sum() == 44 && counts.Values.Max() <= Math.Ceiling(mean * 1.15) + 1;
            }, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(250));
            Assert.True(balanced, "not balanced: " + string.Join(", ", pool.Counts().Select(kv => $"{kv.Key}={kv.Value}")));
            Assert.True(pool.Reconnects > 0, "rebalancing moved clients by reconnects");

            // New connections (new clients and the reconnects of the handed-over ones) went mostly to the new replicas.
            var after = pool.Connections.Where(c => c.At >= scaledAt).ToList();
            Assert.True(after.Count(c => c.Replica is "r3" or "r4") * 3 >= after.Count * 2,
                "connections after the scale-out: " + string.Join(", ", after.GroupBy(c => c.Replica).Select(g => $"{g.Key}={g.Count()}")));
        }
    }

    [Fact]
    public async Task A_terminating_endpoint_gets_no_new_connections_and_drains_to_the_others()
    {
        await using var replicas = await ReplicaSet.StartAsync(["r1", "r2"], redis: null);
        {
            await using var api = await FakeKubeApiServer.StartAsync();
            ApplyChat(api, replicas.All.Select(r => (r.Port, true, true, false)));
            await using var controller = await ControllerHost.StartReadyAsync(api);
            await using var pool = await ClientPool.OpenAsync(controller.HttpPort, 20);
            Assert.True(pool.Counts().GetValueOrDefault("r1") > 0);

            // What Kubernetes does on pod deletion: the endpoint turns serving+terminating, the pod gets SIGTERM.
            var generation = controller.Applier.Generation;
            ApplyChat(api, [(replicas.All[0].Port, false, true, true), (replicas.All[1].Port, true, true, false)]);
            Assert.True(await controller.AppliedAfterAsync(generation));
            var changedAt = DateTime.UtcNow;
            replicas.All[0].Terminate();

            Assert.True(await Eventually.TrueAsync(() => pool.Counts().GetValueOrDefault("r2") == 20, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250)),
                "all clients on r2: " + string.Join(", ", pool.Counts().Select(kv => $"{kv.Key}={kv.Value}")));
            Assert.DoesNotContain(pool.Connections, c => c.At > changedAt && c.Replica == "r1");
            Assert.All(await pool.OpenMoreAsync(3), replica => Assert.Equal("r2", replica));
        }
    }

    [Fact]
    public async Task A_hundred_ingress_updates_close_none_of_200_open_websockets()
    {
        await using var replicas = await ReplicaSet.StartAsync(["r1", "r2"], redis: null);
        {
            await using var api = await FakeKubeApiServer.StartAsync();
            ApplyChat(api, replicas.All.Select(r => (r.Port, true, true, false)));
            await using var controller = await ControllerHost.StartReadyAsync(api);

            await using var pool = await ClientPool.OpenAsync(controller.HttpPort, 200);
            {
                for (var update = 0; update < 100; update++)
                {
                    var generation = controller.Applier.Generation;
                    var annotations = new Dictionary<string, string>(ChatAnnotations)
                    {
                        ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = (1200 + update).ToString(),
                        ["nginx.ingress.kubernetes.io/upstream-keepalive-timeout"] = (60 + update).ToString(),
                        ["nginx.ingress.kubernetes.io/load-balance"] = update % 2 == 0 ? "least_conn" : "round_robin",
                    };
                    var ingress = Ingress(Ns, "chat", "chat", annotations: annotations);
                    if (update % 10 == 5)
                    {
                        ingress.Spec.Rules[0].Http.Paths.Add(new V1HTTPIngressPath
                        {
                            Path = $"/extra{update}",
                            PathType = "Exact",
                            Backend = ingress.Spec.Rules[0].Http.Paths[0].Backend,
                        });
                    }

                    api.Apply(ingress);
                    Assert.True(await controller.AppliedAfterAsync(generation), $"update {update} applied");
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
                Assert.True(pool.Ends.IsEmpty && pool.Counts().Values.Sum() == 200, $"{pool.Ends.Count} closed, e.g. {pool.Ends.FirstOrDefault()}");
            }
        }
    }

    private static void ApplyChat(FakeKubeApiServer api, IEnumerable<(int Port, bool Ready, bool Serving, bool Terminating)> endpoints)
    {
        api.Apply(IngressClass());
        api.Apply(Service(Ns, "chat"));
        foreach (var slice in Slices(Ns, "chat", endpoints))
        {
            api.Apply(slice);
        }

        api.Apply(Ingress(Ns, "chat", "chat", annotations: ChatAnnotations));
    }
}
