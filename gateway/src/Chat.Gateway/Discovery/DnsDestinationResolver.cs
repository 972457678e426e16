using System.Net;
using Chat.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace Chat.Gateway.Discovery;

/// <summary>
/// Replicas behind one name (a Docker Compose service, a headless Service): a destination whose host is a name
/// becomes one destination per address it resolves to (<c>id/address</c>, Host header kept), resolved again every
/// <see cref="GatewayOptions.DnsOptions.RefreshPeriod"/>. Destinations given by IP address stay as they are, so
/// their ids (and metric labels) do not change. A name that does not resolve yet yields no destination until it does.
/// </summary>
internal sealed partial class DnsDestinationResolver(IOptionsMonitor<GatewayOptions> options, ILogger<DnsDestinationResolver> logger) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var dns = options.CurrentValue.Dns;
        var resolved = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        var anyName = false;
        foreach (var (id, destination) in destinations)
        {
            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var address) || address.HostNameType != UriHostNameType.Dns)
            {
                resolved[id] = destination;
                continue;
            }

            anyName = true;
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(address.DnsSafeHost, dns.AddressFamily, cancellationToken);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ArgumentException)
            {
                LogUnresolved(logger, address.DnsSafeHost, id, ex.Message);
                continue;
            }

            foreach (var ip in addresses.Distinct().Order(IpComparer.Instance))
            {
                var target = new UriBuilder(address) { Host = ip.ToString() }.Uri.ToString();
                resolved[$"{id}/{ip}"] = destination with { Address = target, Host = destination.Host ?? address.Authority };
            }
        }

        var changeToken = anyName
            ? new CancellationChangeToken(new CancellationTokenSource(dns.RefreshPeriod).Token)
            : null;
        return new ResolvedDestinationCollection(resolved, changeToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination host {Host} (destination {Id}) does not resolve yet: {Error}")]
    private static partial void LogUnresolved(ILogger logger, string host, string id, string error);

    private sealed class IpComparer : IComparer<IPAddress>
    {
        public static readonly IpComparer Instance = new();

        public int Compare(IPAddress? x, IPAddress? y) => string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}
