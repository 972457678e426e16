using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.GatewayApi.Models.Conditions;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>
/// The Gateway API's pure function: GatewayClasses of this controller, their Gateways and listeners, the HTTPRoutes
/// attached to them and the ConnectionPolicies in; YARP routes and clusters, listener certificates and the status of
/// every object out. A Gateway is served on the controller's own address (shared: listeners isolated by hostname,
/// HTTP and HTTPS by port) or on its own (its Service and pod ports, <see cref="GatewayTranslationInput.Plan"/>).
/// </summary>
public static class GatewayTranslator
{
    /// <summary>Gateway routes are ordered after every Ingress route (Ingress orders stay below this).</summary>
    public const int OrderBase = Chat.IngressController.Translation.RouteMatchBuilder.Limit;

    /// <summary>The address type by which a Gateway asks for the controller's own Service (its name as the value).</summary>
    public const string NamedAddress = "NamedAddress";

    public static GatewayTranslation Translate(GatewayTranslationInput input)
    {
        var objects = input.Objects;
        var classStatuses = new List<(GatewayClass, GatewayClassStatus)>();
        var acceptedClasses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gatewayClass in objects.GatewayClasses.Where(c => c.Spec.ControllerName == input.ControllerName))
        {
            var generation = gatewayClass.Generation;
            var accepted = gatewayClass.Spec.ParametersRef is null;
            if (accepted)
            {
                acceptedClasses.Add(gatewayClass.Name);
            }

            classStatuses.Add((gatewayClass, new GatewayClassStatus
            {
                Conditions =
                [
                    accepted
                        ? StatusConditions.Make(Accepted, true, Reasons.Accepted, "handled by " + input.ControllerName, generation)
                        : StatusConditions.Make(Accepted, false, Reasons.InvalidParameters, "this controller takes no parametersRef", generation),
                    StatusConditions.Make(SupportedVersion, true, Reasons.SupportedVersion, "Gateway API v1 (standard channel)", generation),
                ],
            }));
        }

        var gateways = OwnGateways(objects, input.ControllerName);
        var listenersByGateway = new Dictionary<string, List<ResolvedListener>>(StringComparer.Ordinal);
        var gatewayProblems = new Dictionary<string, (string Reason, string Message)>(StringComparer.Ordinal);
        foreach (var gateway in gateways)
        {
            var listeners = ListenerResolver.Resolve(gateway, input);
            if (!acceptedClasses.Contains(gateway.Spec.GatewayClassName))
            {
                gatewayProblems[gateway.Key] = (Reasons.Invalid, $"GatewayClass {gateway.Spec.GatewayClassName} is not accepted");
            }
            else if (gateway.Spec.Infrastructure?.ParametersRef is { } parameters)
            {
                gatewayProblems[gateway.Key] = (Reasons.InvalidParameters, $"infrastructure.parametersRef {parameters.Group}/{parameters.Kind} {parameters.Name} is not supported");
            }
            else if (gateway.Spec.Addresses?.FirstOrDefault(a => (a.Type ?? "IPAddress") is not ("IPAddress" or "Hostname" or NamedAddress)) is { } address)
            {
                gatewayProblems[gateway.Key] = (Reasons.UnsupportedAddress, $"address type {address.Type} is not supported");
            }

            if (gatewayProblems.ContainsKey(gateway.Key))
            {
                foreach (var listener in listeners)
                {
                    listener.Programmed = false;
                }
            }

            listenersByGateway[gateway.Key] = listeners;
        }

        var policies = new PolicyIndex(objects.Policies, (kind, key) => kind == PolicyIndex.ServiceTarget
            ? input.Cluster.Services.ContainsKey(key)
            : objects.HttpRoutes.Any(r => r.Key == key));
        var clusters = new BackendClusters(input, policies);
        var routes = new RouteTranslator(input, listenersByGateway, clusters, policies);
        var pending = new List<PendingRoute>();
        var routeStatuses = new List<(HttpRoute, IReadOnlyList<RouteParentStatus>)>();
        foreach (var route in objects.HttpRoutes.OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            var parents = routes.Translate(route, pending);
            if (parents.Count > 0)
            {
                routeStatuses.Add((route, parents));
            }
        }

        pending.Sort((a, b) => a.Precedence.CompareTo(b.Precedence));
        var yarpRoutes = pending.Select((p, i) => p.Config with { Order = OrderBase + i }).ToList();

        var gatewayStatuses = gateways.Select(g => (g, Status(g, listenersByGateway[g.Key], gatewayProblems.GetValueOrDefault(g.Key), input))).ToList();
        var programmed = listenersByGateway.Values.SelectMany(l => l).Where(l => l.Programmed).ToList();
        var certificates = programmed.Where(l => l.Https && l.CertificateSecret is not null)
            .GroupBy(l => (l.LocalPort, (l.Hostname ?? "").ToLowerInvariant()))
            .Select(g => new GatewayCertificate(g.Key.LocalPort, g.First().Hostname, g.First().CertificateSecret!)).ToList();
        var listenerHostnames = programmed.GroupBy(l => l.LocalPort)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(l => l.Hostname ?? "").Distinct(StringComparer.OrdinalIgnoreCase).ToList());

        return new GatewayTranslation(yarpRoutes, clusters.Clusters.ToList(), certificates, listenerHostnames, classStatuses, gatewayStatuses, routeStatuses,
            policies.Statuses(input.ControllerName).ToList()) { Plan = input.Plan };
    }

    /// <summary>The Gateways of this controller's GatewayClasses, oldest first.</summary>
    public static List<Gateway> OwnGateways(GatewayApiObjects objects, string controllerName)
    {
        var ownClasses = objects.GatewayClasses.Where(c => c.Spec.ControllerName == controllerName).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return objects.Gateways.Where(g => ownClasses.Contains(g.Spec.GatewayClassName))
            .OrderBy(g => g.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
    }

    private static GatewayStatus Status(Gateway gateway, List<ResolvedListener> listeners, (string Reason, string Message) problem, GatewayTranslationInput input)
    {
        var generation = gateway.Generation;
        var anyAccepted = listeners.Any(l => l.Accepted);
        var allAccepted = listeners.All(l => l.Accepted);
        var addressing = input.Plan.For(gateway.Key);
        var requested = gateway.Spec.Addresses?.Where(a => !string.IsNullOrEmpty(a.Value)).ToList() ?? [];
        var unassigned = requested.FirstOrDefault(a => a.Type == NamedAddress
            ? !input.OwnAddressNames.Contains(a.Value, StringComparer.Ordinal)
            : input.Addresses.All(own => own.Value != a.Value));
        var portProblem = listeners.FirstOrDefault(l => l.Accepted && l.PortProblem is not null)?.PortProblem;
        var accepted = problem.Reason is not null
            ? StatusConditions.Make(Accepted, false, problem.Reason, problem.Message, generation)
            : anyAccepted
                ? StatusConditions.Make(Accepted, true, allAccepted ? Reasons.Accepted : Reasons.ListenersNotValid,
                    allAccepted ? "gateway accepted" : "some listeners are not valid", generation)
                : StatusConditions.Make(Accepted, false, Reasons.ListenersNotValid, "no listener is valid", generation);
        var programmedCondition = problem.Reason is not null || !anyAccepted
            ? StatusConditions.Make(Programmed, false, Reasons.Invalid, "gateway is not valid", generation)
            : !addressing.Shared
                ? portProblem is not null
                    ? StatusConditions.Make(Programmed, false, Reasons.NoResources, portProblem, generation)
                    : addressing.Addresses.Count == 0
                        ? StatusConditions.Make(Programmed, false, Reasons.AddressNotAssigned, $"its Service {addressing.Service} has no address yet", generation)
                        : StatusConditions.Make(Programmed, true, Reasons.Programmed, $"served by every controller replica behind its Service {addressing.Service}", generation)
            : input.Addresses.Count == 0
                ? StatusConditions.Make(Programmed, false, Reasons.AddressNotAssigned, "the controller's own Service has no address yet", generation)
                : unassigned is not null
                    ? StatusConditions.Make(Programmed, false, Reasons.AddressNotAssigned, $"address {unassigned.Value} is not one of the controller's", generation)
                    : StatusConditions.Make(Programmed, true, Reasons.Programmed, "served by every controller replica", generation);
        return new GatewayStatus
        {
            Addresses = (addressing.Shared ? input.Addresses : addressing.Addresses).ToList(),
            Conditions = [accepted, programmedCondition],
            Listeners = listeners.Select(l => new ListenerStatus
            {
                Name = l.Spec.Name,
                SupportedKinds = l.SupportedKinds,
                AttachedRoutes = l.AttachedRoutes.Count,
                Conditions = l.Conditions.Select(c => c.Type == Programmed && problem.Reason is not null
                    ? StatusConditions.Make(Programmed, false, Reasons.Invalid, "gateway is not valid", generation)
                    : c).ToList(),
            }).ToList(),
        };
    }
}
