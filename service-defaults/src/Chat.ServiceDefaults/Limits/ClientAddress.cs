using System.Net;
using System.Net.Sockets;

namespace Chat.ServiceDefaults.Limits;

/// <summary>
/// The key a client's address is limited by: an IPv4 address as it is (also when IPv4-mapped), an IPv6 address by
/// its /64 network, since one host usually holds a whole /64 and could otherwise take a new address per connection.
/// </summary>
public static class ClientAddress
{
    public static IPAddress KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
