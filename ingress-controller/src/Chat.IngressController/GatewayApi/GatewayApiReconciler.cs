using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.GatewayApi.Proxy;
using Chat.IngressController.GatewayApi.Status;
using Chat.IngressController.GatewayApi.Translation;
using Chat.IngressController.Hosting;
using Chat.IngressController.Informers;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Status;
using Chat.IngressController.Translation;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.GatewayApi;

/// <summary>
/// The Gateway API's part of each reconcile: translate the snapshot, then, once the merged config is swapped in,
/// update listener certificates and hostnames, drain the WebSockets of removed routes and hand the status to the
/// leader's writer.
/// </summary>
public sealed class GatewayApiReconciler(ControllerInformers informers, GatewayCertificates certificates, GatewayListenerIndex listeners,
    GatewayConnections connections, GatewayStatusWriter status, IOptions<IngressControllerOptions> options)
{
    private readonly IngressControllerOptions _options = options.Value;

    public GatewayTranslation Translate(ClusterState state)
    {
        if (!_options.GatewayApi)
        {
            return GatewayTranslation.Empty;
        }

        var publish = ObjectKey.TryParse(_options.PublishService, _options.LeaseNamespace) is { } key ? state.Services.GetValueOrDefault(key.ToString()) : null;
        return GatewayTranslator.Translate(new GatewayTranslationInput
        {
            Objects = informers.GatewayApi.Snapshot(),
            Cluster = state,
            ControllerName = _options.GatewayControllerName,
            HttpPort = _options.HttpPort,
            HttpsPort = _options.HttpsPort,
            DefaultDrain = TimeSpan.FromSeconds(_options.DefaultDrainSeconds),
            Addresses = IngressStatusWriter.AddressesOf(publish)
                .Select(a => new GatewayAddress { Type = a.Ip is null ? "Hostname" : "IPAddress", Value = a.Ip ?? a.Hostname })
                .ToList(),
            CertificateValid = certificates.IsValid,
        });
    }

    /// <summary>After the swap: the routes that are serving now (with the Ingress ones) decide which connections drain.</summary>
    public void Applied(GatewayTranslation translation, IReadOnlyList<RouteConfig> serving, ClusterState state)
    {
        certificates.Update(translation.Certificates, state.Secrets);
        listeners.Update(translation.ListenerHostnames);
        connections.DrainRoutesNotIn(serving.Select(r => r.RouteId).ToHashSet(StringComparer.Ordinal));
        status.Update(translation);
    }
}
