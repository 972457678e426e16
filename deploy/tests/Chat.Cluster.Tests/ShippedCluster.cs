using Chat.Testing;
using Chat.Testing.Kubernetes.Cluster;
using k8s.Models;

namespace Chat.Cluster.Tests;

/// <summary>
/// One run of the manifests (the test overlay of k8s/) for all the scenario steps: started once, ready when every
/// Deployment that runs is rolled out and the Ingress answers through the controller's load balancer; the users
/// (<see cref="ChatLoad"/>) stay connected from one step to the next. Logs and events go to
/// TestResults/cluster/ when it stops.
/// </summary>
public sealed class ShippedCluster : IAsyncLifetime
{
    public static readonly string Overlay = Path.Combine(RepoPaths.Root, "deploy", "tests", "Chat.Cluster.Tests", "overlay");

    public static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "cluster");

    private readonly List<string> _report = [];

    public LocalCluster Cluster { get; private set; } = null!;

    public ChatLoad Load { get; private set; } = null!;

    /// <summary>The controller's Service, which the kind walkthrough reaches too.</summary>
    public string EntryService { get; private set; } = "";

    public string Host { get; private set; } = "";

    /// <summary>The groups of users the steps add and remove.</summary>
    public Dictionary<string, Chat.LoadTest.Clients.ClientFleet> Groups { get; } = [];

    public async Task InitializeAsync()
    {
        Cluster = await LocalCluster.StartAsync(new LocalClusterOptions
        {
            Kustomization = Overlay,
            ArtifactsDirectory = Artifacts,
        });
        var ingress = Cluster.Manifests.OfType<V1Ingress>().Single();
        Host = ingress.Spec.Rules[0].Host;
        EntryService = Cluster.Manifests.OfType<V1Service>().Single(s => s.Spec.Type is "LoadBalancer" or "NodePort").Metadata.Name;
        foreach (var deployment in Cluster.Deployments.Where(d => d.NotRun is null))
        {
            if (!await Cluster.WaitForRolloutAsync(deployment.Name, TimeSpan.FromMinutes(3)))
            {
                throw new InvalidOperationException($"{deployment.Name} did not roll out:\n{string.Join('\n', Cluster.Events.All)}");
            }
        }

        var entry = Cluster.LoadBalancer(EntryService);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (!await Eventually.TrueAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, entry);
                request.Headers.Host = Host;
                using var response = await http.SendAsync(request);
                return response.IsSuccessStatusCode && response.Headers.Contains("X-Chat-Replica");
            }, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500)))
        {
            throw new InvalidOperationException($"the Ingress does not answer through {entry}:\n{string.Join('\n', Cluster.Events.All)}");
        }

        Load = new ChatLoad(entry, Host);
        Report($"cluster up: {string.Join(", ", Cluster.Deployments.Select(d => $"{d.Name} {d.ReadyReplicas}/{d.SpecReplicas}{(d.NotRun is null ? "" : " (not run: " + d.NotRun + ")")}"))}");
    }

    public void Report(string line)
    {
        lock (_report)
        {
            _report.Add($"{DateTime.UtcNow:HH:mm:ss} {line}");
        }
    }

    public async Task DisposeAsync()
    {
        if (Load is not null)
        {
            await Load.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        Directory.CreateDirectory(Artifacts);
        lock (_report)
        {
            File.WriteAllLines(Path.Combine(Artifacts, "figures.txt"), _report);
        }
    }
}
