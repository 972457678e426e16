using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// The Gateway API matching YARP lacks, as an ASP.NET routing policy on the candidates YARP's host, path and method
/// matching left: the controller port (a Gateway's own port serves its routes only, no Ingress), listener isolation, case-sensitive Exact and PathPrefix paths, regular
/// expression paths, header and query parameter matches. A route that fails is not a candidate, so the next in
/// precedence order is tried.
/// </summary>
public sealed class GatewayMatcherPolicy(GatewayRouteBehaviors behaviors, GatewayListenerIndex listeners) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var request = httpContext.Request;
        var port = httpContext.Connection.LocalPort;
        string? listener = null;
        var listenerKnown = false;
        var gatewayPort = listeners.IsGatewayPort(port);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            if (behaviors.For(candidates[i].Endpoint.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>()) is not { } compiled)
            {
                if (gatewayPort)
                {
                    candidates.SetValidity(i, false);
                }

                continue;
            }

            var behavior = compiled.Behavior;
            if (!listenerKnown)
            {
                listener = listeners.MostSpecific(port, request.Host.Host);
                listenerKnown = true;
            }

            var valid = behavior.LocalPort == port
                && listener is not null && behavior.Listeners.Contains(listener, StringComparer.OrdinalIgnoreCase)
                && (behavior.Method is null || string.Equals(behavior.Method, request.Method, StringComparison.OrdinalIgnoreCase))
                && compiled.PathMatches(request.Path.Value ?? "/")
                && compiled.HeadersMatch(request.Headers)
                && compiled.QueryMatches(request.Query);
            if (!valid)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
