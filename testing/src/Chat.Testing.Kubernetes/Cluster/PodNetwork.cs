using System.Net;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// The pod and Service network on loopback: every pod gets its own address in 127.1.0.0/16, every Service a
/// virtual IP in 127.2.0.0/16 (Linux routes all of 127/8 to lo). Processes cannot share a network namespace here,
/// so each declared port is mapped to a free host port, the same for all pods of one owner (a Deployment), so
/// that EndpointSlices keep one port list per Service as in a cluster. Addresses are not reused while the
/// harness runs, so a stale connection never reaches a newer pod.
/// </summary>
public sealed class PodNetwork
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Owner, int Port), int> _ports = [];
    private readonly Dictionary<string, string> _ipOwner = new(StringComparer.Ordinal);
    private int _nextPod = 10;
    private int _nextService = 10;

    public string AllocatePodIp()
    {
        lock (_lock)
        {
            var n = _nextPod++;
            return $"127.1.{n / 250}.{n % 250 + 2}";
        }
    }

    public string AllocateServiceIp()
    {
        lock (_lock)
        {
            var n = _nextService++;
            return $"127.2.{n / 250}.{n % 250 + 2}";
        }
    }

    /// <summary>The host port that <paramref name="containerPort"/> of <paramref name="owner"/>'s pods listens on.</summary>
    public int HostPort(string owner, int containerPort)
    {
        lock (_lock)
        {
            if (!_ports.TryGetValue((owner, containerPort), out var port))
            {
                do
                {
                    port = Chat.Testing.FreePort.Next();
                }
                while (_ports.ContainsValue(port));

                _ports[(owner, containerPort)] = port;
            }

            return port;
        }
    }

    public void Register(string ip, string owner)
    {
        lock (_lock)
        {
            _ipOwner[ip] = owner;
        }
    }

    /// <summary>Where a pod address and container port (as the cluster sees them) are reachable on the host.</summary>
    public IPEndPoint? Resolve(string ip, int containerPort)
    {
        lock (_lock)
        {
            return _ipOwner.TryGetValue(ip, out var owner) && _ports.TryGetValue((owner, containerPort), out var port)
                ? new IPEndPoint(IPAddress.Parse(ip), port)
                : null;
        }
    }
}
