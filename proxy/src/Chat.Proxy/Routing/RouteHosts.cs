using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Chat.Proxy.Routing;

/// <summary>
/// A proxied route's hosts, matched by <see cref="IndexedHostMatcherPolicy"/> in place of ASP.NET Core's host
/// policy. YARP turns <c>RouteMatch.Hosts</c> into <see cref="IHostMetadata"/>; <see cref="Index"/>, a convention on
/// the proxy's endpoints, swaps it for this, so YARP's configuration model is untouched and only the matcher changes.
/// </summary>
public sealed class RouteHosts
{
    private RouteHosts(HostKey[] keys) => Keys = keys;

    internal HostKey[] Keys { get; }

    /// <summary>
    /// The convention: an endpoint's host metadata becomes <see cref="RouteHosts"/>. A list with an entry that does
    /// not parse stays as it was, for ASP.NET Core's policy to report as before.
    /// </summary>
    public static void Index(EndpointBuilder endpoint)
    {
        var metadata = endpoint.Metadata;
        for (var i = 0; i < metadata.Count; i++)
        {
            if (metadata[i] is IHostMetadata { Hosts.Count: > 0 } host && TryRead(host.Hosts) is { } hosts)
            {
                metadata[i] = hosts;
            }
        }
    }

    private static RouteHosts? TryRead(IReadOnlyList<string> hosts)
    {
        var keys = new HostKey[hosts.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            if (!HostKey.TryParse(hosts[i], out keys[i]))
            {
                return null;
            }
        }

        return new RouteHosts(keys);
    }
}
