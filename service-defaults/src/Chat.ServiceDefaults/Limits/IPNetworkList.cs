using System.Net;

namespace Chat.ServiceDefaults.Limits;

/// <summary>A list of networks given as CIDR (<c>10.0.0.0/8</c>) or single addresses (<c>192.0.2.7</c>, <c>::1</c>).</summary>
public sealed class IPNetworkList
{
    private readonly IPNetwork[] _networks;

    public IPNetworkList(IEnumerable<string> entries) =>
        _networks = entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => TryParse(e, out var n) ? n : throw new FormatException($"'{e}' is not an address or CIDR network.")).ToArray();

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(plain));
    }

    public static bool TryParse(string entry, out IPNetwork network)
    {
        var text = entry.Trim();
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }
}
