using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Tests.GatewayApi;
using Chat.Testing;
using k8s;

namespace Chat.IngressController.Tests.Ingress2Gateway;

/// <summary>
/// chat-ingress2gateway on the reference Ingress (k8s/ingress.yaml) writes what k8s/gateway-api ships by hand (which
/// the deploy tests check against the Ingress): the same Gateway, HTTPRoute and ConnectionPolicy, listener names aside.
/// </summary>
public sealed class ReferenceConversionTests
{
    [Fact]
    public async Task The_reference_ingress_converts_to_the_hand_written_gateway_api_objects_without_warnings()
    {
        var converted = await Converter.ConvertAsync(Converter.Reference);

        Assert.Equal(0, converted.ExitCode);
        Assert.Empty(converted.Errors);
        var shipped = Manifests.Load(string.Join("\n---\n", new[] { "gateway.yaml", "httproute.yaml", "connectionpolicy.yaml" }
            .Select(f => File.ReadAllText(Path.Combine(RepoPaths.Root, "k8s", "gateway-api", f))))).Cast<GatewayApiObject>().ToList();
        Assert.Equal(shipped.Select(o => $"{o.Kind} {o.Name}"), converted.Objects.Select(o => $"{o.Kind} {o.Name}"));
        foreach (var (expected, actual) in shipped.Zip(converted.Objects))
        {
            Assert.Equal(Comparable(expected), Comparable(actual));
        }
    }

    [Fact]
    public async Task The_reference_timeouts_are_idle_timeouts_of_the_policy_never_request_timeouts_of_the_route()
    {
        var converted = await Converter.ConvertAsync(Converter.Reference);

        var policy = converted.Single<ConnectionPolicy>().Spec;
        Assert.Equal("LeastConnections", policy.Balancing);
        Assert.Equal(("1200s", "1200s"), (policy.IdleTimeout?.Read, policy.IdleTimeout?.Send));
        Assert.All(converted.Single<HttpRoute>().Spec.Rules!, r => Assert.Null(r.Timeouts));
    }

    /// <summary>The object as JSON without the listener names (the converter names them by host).</summary>
    private static string Comparable(GatewayApiObject o)
    {
        if (o is Gateway gateway)
        {
            foreach (var listener in gateway.Spec.Listeners)
            {
                listener.Name = "";
            }
        }

        return KubernetesJson.Serialize(o);
    }
}
