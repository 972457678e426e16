using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Tests;

/// <summary>The passive check and the readiness probe together: when a destination taken out comes back in.</summary>
public sealed class PassiveHealthTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IPassiveHealthCheckPolicy _passive;
    private readonly IActiveHealthCheckPolicy _readiness;
    private readonly ClusterState _cluster = new("chat", new ClusterModel(new ClusterConfig { ClusterId = "chat" }, new HttpMessageInvoker(new HttpClientHandler())));
    private readonly DestinationState _destination = new("r1", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:5001" }));

    public PassiveHealthTests()
    {
        var services = new ServiceCollection();
        services.AddChatProxy();
        services.Replace(ServiceDescriptor.Singleton<IDestinationHealthUpdater, RecordingHealthUpdater>());
        _services = services.BuildServiceProvider();
        _passive = _services.GetServices<IPassiveHealthCheckPolicy>().Single(p => p.Name == ChatProxyPolicies.ConsecutiveFailuresHealth);
        _readiness = _services.GetServices<IActiveHealthCheckPolicy>().Single(p => p.Name == ChatProxyPolicies.ReadinessHealth);
        Probe(HttpStatusCode.OK);
    }

    [Fact]
    public void Refused_connections_take_a_destination_out_until_its_first_good_readiness_answer_though_no_probe_saw_it_down()
    {
        Fail(ForwarderError.Request, new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), times: 3);
        Assert.Equal(DestinationHealth.Unhealthy, _destination.Health.Passive);
        Assert.Equal(DestinationHealth.Healthy, _destination.Health.Active);

        Probe(HttpStatusCode.OK);

        Assert.Equal(DestinationHealth.Unknown, _destination.Health.Passive);
    }

    [Fact]
    public void Refused_connections_keep_a_destination_out_while_its_probe_fails_too()
    {
        Fail(ForwarderError.Request, new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), times: 3);

        Probe(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(DestinationHealth.Unhealthy, _destination.Health.Passive);
        Assert.Equal(DestinationHealth.Unhealthy, _destination.Health.Active);
    }

    [Fact]
    public void Failed_upgrades_keep_a_destination_out_for_the_reactivation_period_while_its_readiness_answers()
    {
        Fail(ForwarderError.UpgradeResponseDestination, new IOException("The upgrade failed"), times: 3);

        Probe(HttpStatusCode.OK);

        Assert.Equal(DestinationHealth.Unhealthy, _destination.Health.Passive);
    }

    [Fact]
    public void A_streak_with_other_failures_than_refusals_is_not_ended_by_a_readiness_answer()
    {
        Fail(ForwarderError.Request, new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), times: 2);
        Fail(ForwarderError.RequestTimedOut, new TimeoutException(), times: 1);

        Probe(HttpStatusCode.OK);

        Assert.Equal(DestinationHealth.Unhealthy, _destination.Health.Passive);
    }

    [Fact]
    public void A_destination_a_probe_saw_down_is_back_on_its_first_good_readiness_answer()
    {
        Fail(ForwarderError.UpgradeResponseDestination, new IOException("The upgrade failed"), times: 3);
        Probe(HttpStatusCode.ServiceUnavailable);

        Probe(HttpStatusCode.OK);

        Assert.Equal(DestinationHealth.Unknown, _destination.Health.Passive);
        Assert.Equal(DestinationHealth.Healthy, _destination.Health.Active);
    }

    public void Dispose() => _services.Dispose();

    private void Fail(ForwarderError error, Exception exception, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var context = new DefaultHttpContext();
            context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(error, exception));
            _passive.RequestProxied(context, _cluster, _destination);
        }
    }

    private void Probe(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        _readiness.ProbingCompleted(_cluster, [new DestinationProbingResult(_destination, response, null)]);
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;

    /// <summary>Applies health changes at once (YARP's updater also schedules reactivation and recomputes the available destinations).</summary>
    private sealed class RecordingHealthUpdater : IDestinationHealthUpdater
    {
        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
        {
            foreach (var state in newHealthStates)
            {
                state.Destination.Health.Active = state.NewActiveHealth;
            }
        }

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod) =>
            destination.Health.Passive = newHealth;
    }
}
