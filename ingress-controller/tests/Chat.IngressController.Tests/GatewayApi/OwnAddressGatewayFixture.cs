using System.Net;
using System.Net.Sockets;
using Chat.Testing;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// The conformance base with Gateways on addresses of their own (IngressController:GatewayPorts), as the suite
/// expects: all-namespaces without listener hostname, like same-namespace. The range has six ports: the four base
/// Gateways take the first four, the sixth is held by another socket (a port that cannot be opened).
/// </summary>
public sealed class OwnAddressGatewayFixture : GatewayFixture
{
    public const int RangeSize = 6;

    private readonly TcpListener _squatter;

    public OwnAddressGatewayFixture()
    {
        FirstPort = FreePort.Block(RangeSize);
        _squatter = new TcpListener(IPAddress.Loopback, FirstPort + RangeSize - 1);
        _squatter.Start();
        ControllerSettings = new Dictionary<string, string?> { ["IngressController:GatewayPorts"] = $"{FirstPort}-{FirstPort + RangeSize - 1}" };
    }

    public int FirstPort { get; }

    /// <summary>The port of the range something else listens on.</summary>
    public int HeldPort => FirstPort + RangeSize - 1;

    protected override IReadOnlyDictionary<string, string?> ControllerSettings { get; }

    protected override string? AllNamespacesHostname => null;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _squatter.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnAddressGatewayCollection : ICollectionFixture<OwnAddressGatewayFixture>
{
    public const string Name = "gateway-api-own-addresses";
}
