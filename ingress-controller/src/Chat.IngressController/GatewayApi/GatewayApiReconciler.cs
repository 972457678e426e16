using Chat.IngressController.GatewayApi.Addresses;
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
/// The Gateway API's part of each reconcile: plan the Gateways' addresses and open their pod ports, translate the
/// snapshot, then, once the merged config is swapped in, update listener certificates and hostnames, drain the
/// WebSockets of removed routes and hand the status and the Gateways' Services to the leader's writers.
/// </summary>
public sealed class GatewayApiReconciler(ControllerInformers informers, GatewayCertificates certificates, GatewayListenerIndex listeners,
    GatewayConnections connections, GatewayPortListeners ports, GatewayStatusWriter status, GatewayServiceWriter services,
    IOptions<IngressControllerOptions> options)
{
    private readonly IngressControllerOptions _options = options.Value;
    private readonly PortRange? _gatewayPorts = PortRange.TryParse(options.Value.GatewayPorts);
    private readonly ObjectKey? _publish = ObjectKey.TryParse(options.Value.PublishService, options.Value.LeaseNamespace);

    public GatewayTranslation Translate(ClusterState state)
    {
        if (!_options.GatewayApi)
        {
            return GatewayTranslation.Empty;
        }

        var objects = informers.GatewayApi.Snapshot();
        var plan = GatewayAddressPlanner.Plan(GatewayTranslator.OwnGateways(objects, _options.GatewayControllerName), state, _gatewayPorts, _publish);
        var unavailable = ports.Update(plan.HttpPorts, plan.HttpsPorts);
        var publish = _publish is { } key ? state.Services.GetValueOrDefault(key.ToString()) : null;
        return GatewayTranslator.Translate(new GatewayTranslationInput
        {
            Objects = objects,
            Cluster = state,
            ControllerName = _options.GatewayControllerName,
            HttpPort = _options.HttpPort,
            HttpsPort = _options.HttpsPort,
            DefaultDrain = TimeSpan.FromSeconds(_options.DefaultDrainSeconds),
            Addresses = IngressStatusWriter.AddressesOf(publish)
                .Select(a => new GatewayAddress { Type = a.Ip is null ? "Hostname" : "IPAddress", Value = a.Ip ?? a.Hostname })
                .ToList(),
            OwnAddressNames = _publish is { } own ? [own.Name, own.ToString()] : [],
            Plan = plan,
            UnavailablePorts = unavailable,
            CertificateValid = certificates.IsValid,
        });
    }

    /// <summary>After the swap: the routes that are serving now (with the Ingress ones) decide which connections drain.</summary>
    public void Applied(GatewayTranslation translation, IReadOnlyList<RouteConfig> serving, ClusterState state)
    {
        certificates.Update(translation.Certificates, state.Secrets);
        listeners.Update(translation.ListenerHostnames, translation.Plan.HttpPorts.Concat(translation.Plan.HttpsPorts));
        connections.DrainRoutesNotIn(serving.Select(r => r.RouteId).ToHashSet(StringComparer.Ordinal));
        status.Update(translation);
        if (_gatewayPorts is not null && _publish is { } publish && _options.GatewayApi)
        {
            services.Update(translation.Plan.Services, GatewayAddressPlanner.ExistingServices(state, publish).ToList());
        }
    }
}
