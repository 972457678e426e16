using System.Net;
using Chat.Proxy;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// Turns an Ingress backend (Service + port) into proxy destinations from the Service's EndpointSlices:
/// ready endpoints take new connections; serving-and-terminating ones are kept, marked draining, so that
/// requests bound to them (affinity) still reach them until the drain timeout, while new connections go elsewhere.
/// </summary>
public static class BackendResolver
{
    public static Dictionary<string, DestinationConfig> Resolve(ClusterState state, string ns, V1IngressServiceBackend backend,
        TimeSpan drainTimeout, ICollection<string> problems)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        if (!state.Services.TryGetValue(ns + "/" + backend.Name, out var service))
        {
            problems.Add($"service {ns}/{backend.Name} not found; requests get 503 until it exists");
            return destinations;
        }

        var servicePort = service.Spec?.Ports?.FirstOrDefault(p =>
            backend.Port?.Number is { } number ? p.Port == number : p.Name == backend.Port?.Name);
        if (service.Spec?.Type == "ExternalName" && !string.IsNullOrEmpty(service.Spec.ExternalName))
        {
            var port = backend.Port?.Number ?? servicePort?.Port ?? 80;
            destinations["external"] = new DestinationConfig { Address = $"http://{service.Spec.ExternalName}:{port}" };
            return destinations;
        }

        if (servicePort is null)
        {
            problems.Add($"service {ns}/{backend.Name} has no port {(object?)backend.Port?.Number ?? backend.Port?.Name}");
            return destinations;
        }

        foreach (var slice in state.EndpointSlices[ns + "/" + backend.Name])
        {
            var slicePort = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (servicePort.Name ?? ""));
            if (slicePort?.Port is not { } targetPort || (slicePort.Protocol ?? "TCP") != "TCP")
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var address = endpoint.Addresses?.FirstOrDefault();
                if (address is null || !IPAddress.TryParse(address, out var ip))
                {
                    continue;
                }

                var ready = endpoint.Conditions?.Ready ?? true;
                var serving = endpoint.Conditions?.Serving ?? ready;
                var terminating = endpoint.Conditions?.Terminating ?? false;
                var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
                var url = $"http://{host}:{targetPort}";
                if (ready)
                {
                    destinations[$"{host}:{targetPort}"] = new DestinationConfig { Address = url };
                }
                else if (serving && terminating && IsWithinDrain(state, url, drainTimeout))
                {
                    destinations[$"{host}:{targetPort}"] = new DestinationConfig
                    {
                        Address = url,
                        Metadata = new Dictionary<string, string> { [ChatProxyMetadata.Draining] = "true" },
                    };
                }
            }
        }

        return destinations;
    }

    private static bool IsWithinDrain(ClusterState state, string address, TimeSpan drainTimeout) =>
        !state.DrainingSince.TryGetValue(address, out var since) || state.Now - since < drainTimeout;
}
