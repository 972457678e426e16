using System.Net.Sockets;

namespace Chat.Gateway.Hosting;

/// <summary>The gateway's own settings (section <c>Gateway</c>); routes and clusters are YARP's <c>ReverseProxy</c> section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Optional JSON file in the shape of appsettings (a <c>ReverseProxy</c> section, e.g. a mounted ConfigMap),
    /// layered on top of all other configuration and reloaded when it changes. Env <c>Gateway__ConfigFile</c>.
    /// </summary>
    public string? ConfigFile { get; set; }

    public DnsOptions Dns { get; set; } = new();

    public sealed class DnsOptions
    {
        /// <summary>How often destination host names are resolved again (new or removed replicas). Default 5 s.</summary>
        public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Which addresses a name resolves to: InterNetwork (IPv4, default), InterNetworkV6, or Unspecified (both).</summary>
        public AddressFamily AddressFamily { get; set; } = AddressFamily.InterNetwork;
    }
}
