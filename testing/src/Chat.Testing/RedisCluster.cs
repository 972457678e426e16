using System.Diagnostics;

namespace Chat.Testing;

/// <summary>
/// A real Redis Cluster on loopback: 6 redis-server processes in cluster mode, created with
/// <c>redis-cli --cluster create … --cluster-replicas 1</c> (3 primaries, each with a replica), a short node timeout
/// so a killed primary fails over within seconds. Every process is stopped on dispose.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<Node> _nodes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("chat-redis-cluster-").FullName;

    private RedisCluster()
    {
    }

    public IReadOnlyList<int> Ports => _nodes.Select(n => n.Port).ToArray();

    /// <summary>For ConnectionStrings:Redis: every node, as users list them (<c>host1:port,host2:port,…</c>).</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}")) + ",abortConnect=false,connectTimeout=2000";

    public static async Task<RedisCluster> StartAsync(int nodeTimeoutMilliseconds = 2000)
    {
        var cluster = new RedisCluster();
        try
        {
            var ports = new HashSet<int>();
            while (ports.Count < 12)
            {
                ports.Add(FreePort.Next());
            }

            foreach (var pair in ports.Chunk(2))
            {
                cluster._nodes.Add(cluster.StartNode(pair[0], pair[1], nodeTimeoutMilliseconds));
            }

            foreach (var node in cluster._nodes)
            {
                await cluster.WaitForPingAsync(node.Port);
            }

            await cluster.CliAsync(["--cluster", "create", .. cluster._nodes.Select(n => $"127.0.0.1:{n.Port}"), "--cluster-replicas", "1", "--cluster-yes"]);
            if (!await Eventually.TrueAsync(async () => await cluster.IsHealthyAsync() && await cluster.ReplicasInSyncAsync(), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250)))
            {
                throw new InvalidOperationException("The Redis Cluster did not become healthy: " + await cluster.InfoAsync(cluster._nodes[0].Port));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The ports of the current primaries.</summary>
    public async Task<IReadOnlyList<int>> PrimariesAsync()
    {
        var primaries = new List<int>();
        foreach (var node in _nodes.Where(n => !n.Process.HasExited))
        {
            var role = await CliAsync(["-p", node.Port.ToString(), "role"]);
            if (role.StartsWith("master", StringComparison.Ordinal))
            {
                primaries.Add(node.Port);
            }
        }

        return primaries;
    }

    /// <summary>Which node holds the slot of a key (as CLUSTER KEYSLOT and CLUSTER SLOTS say).</summary>
    public async Task<int> SlotOfAsync(string key) =>
        int.Parse((await CliAsync(["-p", _nodes[0].Port.ToString(), "cluster", "keyslot", key])).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The slot ranges each primary serves (from CLUSTER SLOTS), as (first, last, port, node id).</summary>
    public async Task<IReadOnlyList<(int First, int Last, int Port, string NodeId)>> SlotRangesAsync()
    {
        var ranges = new List<(int, int, int, string)>();
        var lines = (await CliAsync(["-p", _nodes.First(n => !n.Process.HasExited).Port.ToString(), "cluster", "nodes"])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var fields in lines.Select(l => l.Split(' ')).Where(f => f[2].Contains("master", StringComparison.Ordinal) && !f[2].Contains("fail", StringComparison.Ordinal)))
        {
            var port = int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..].Split('@')[0], System.Globalization.CultureInfo.InvariantCulture);
            foreach (var range in fields.Skip(8).Where(r => !r.StartsWith('[')))
            {
                var bounds = range.Split('-');
                var first = int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
                ranges.Add((first, bounds.Length > 1 ? int.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture) : first, port, fields[0]));
            }
        }

        return ranges;
    }

    /// <summary>
    /// Moves the lowest slots of one primary to another with <c>redis-cli --cluster reshard</c>, keys included, while
    /// clients keep using them (MOVED and ASK redirections on the way).
    /// </summary>
    public Task<string> ReshardAsync(string fromNodeId, string toNodeId, int slots) =>
        CliAsync(["--cluster", "reshard", $"127.0.0.1:{_nodes.First(n => !n.Process.HasExited).Port}",
            "--cluster-from", fromNodeId, "--cluster-to", toNodeId, "--cluster-slots", slots.ToString(), "--cluster-yes"]);

    /// <summary>Kills a node with SIGKILL, as a crash would.</summary>
    public void Kill(int port) => _nodes.Single(n => n.Port == port).Process.Kill();

    /// <summary>True when every live node reports cluster_state:ok and all 16384 slots are served.</summary>
    public async Task<bool> IsHealthyAsync()
    {
        foreach (var node in _nodes.Where(n => !n.Process.HasExited))
        {
            var info = await InfoAsync(node.Port);
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal) || !info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every primary has a replica whose link is up (WAIT can be answered).</summary>
    public async Task<bool> ReplicasInSyncAsync()
    {
        foreach (var primary in await PrimariesAsync())
        {
            var replication = await CliAsync(["-p", primary.ToString(), "info", "replication"]);
            if (!replication.Contains("state=online", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs redis-cli with the arguments and returns its output (throws when it fails).</summary>
    public async Task<string> CliAsync(IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = cli.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = cli.StandardError.ReadToEndAsync(timeout.Token);
        await cli.WaitForExitAsync(timeout.Token);
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} failed: {await output}{await error}");
        }

        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Process.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Task<string> InfoAsync(int port) => CliAsync(["-p", port.ToString(), "cluster", "info"]);

    private Node StartNode(int port, int busPort, int nodeTimeoutMilliseconds)
    {
        var directory = Path.Combine(_directory, port.ToString());
        Directory.CreateDirectory(directory);
        var process = new ChildProcess("redis-server",
        [
            "--port", port.ToString(), "--cluster-port", busPort.ToString(), "--bind", "127.0.0.1",
            "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(directory, "nodes.conf"),
            "--cluster-node-timeout", nodeTimeoutMilliseconds.ToString(), "--dir", directory,
            "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning",
        ]);
        return new Node(port, process);
    }

    private async Task WaitForPingAsync(int port)
    {
        if (!await Eventually.TrueAsync(async () => (await CliAsync(["-p", port.ToString(), "ping"])).StartsWith("PONG", StringComparison.Ordinal), TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException($"redis-server on {port} did not start: " + _nodes.Single(n => n.Port == port).Process.Output);
        }
    }

    private sealed record Node(int Port, ChildProcess Process);
}
