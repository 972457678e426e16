using System.Net.Sockets;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// One probe attempt as the kubelet makes it: httpGet (2xx/3xx within timeoutSeconds), tcpSocket (connects) or
/// exec (run the way the image would, see <see cref="ContainerImage.ExecAsync"/>); grpc probes are not reproduced.
/// </summary>
public static class Probes
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });

    public static TimeSpan Period(V1Probe probe) => TimeSpan.FromSeconds(probe.PeriodSeconds ?? 10);

    public static TimeSpan InitialDelay(V1Probe probe) => TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0);

    public static int FailureThreshold(V1Probe probe) => probe.FailureThreshold ?? 3;

    public static int SuccessThreshold(V1Probe probe) => probe.SuccessThreshold ?? 1;

    public static async Task<bool> RunAsync(V1Probe probe, ContainerContext container, ContainerImage image, CancellationToken stop)
    {
        var timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1);
        try
        {
            if (probe.HttpGet is { } http)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
                cts.CancelAfter(timeout);
                var port = Port(http.Port, container.Container);
                var uri = new Uri($"{(http.Scheme ?? "HTTP").ToLowerInvariant()}://{container.PodIp}:{container.HostPort(port)}{http.Path ?? "/"}");
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                foreach (var header in http.HttpHeaders ?? [])
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value);
                }

                request.Headers.UserAgent.ParseAdd("kube-probe/1.33");
                using var response = await Http.SendAsync(request, cts.Token);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            if (probe.TcpSocket is { } tcp)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
                cts.CancelAfter(timeout);
                using var client = new TcpClient();
                await client.ConnectAsync(container.PodIp, container.HostPort(Port(tcp.Port, container.Container)), cts.Token);
                return true;
            }

            if (probe.Exec is { } exec)
            {
                return await image.ExecAsync(container, exec.Command, timeout);
            }

            return true;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>A probe's or preStop's port: a number, or the name of one of the container's ports.</summary>
    public static int Port(IntOrString port, V1Container container) =>
        int.TryParse(port.Value, out var number)
            ? number
            : container.Ports?.FirstOrDefault(p => p.Name == port.Value)?.ContainerPort
                ?? throw new InvalidOperationException($"container {container.Name} has no port named {port.Value}");
}
