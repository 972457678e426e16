using System.Net;
using System.Net.Sockets;

namespace Chat.LoadTest.Clients;

/// <summary>
/// Local addresses clients bind to, so that each brings its own ephemeral port range to the same target:
/// a range (127.0.0.1-127.0.0.8) or a comma-separated list of IPv4 or IPv6 addresses.
/// </summary>
public static class SourceAddresses
{
    public const int Max = 1024;

    public static bool TryParse(string text, out IReadOnlyList<IPAddress> addresses, out string error)
    {
        addresses = [];
        error = "";
        var found = new List<IPAddress>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!IPAddress.TryParse(part, out var single))
                {
                    error = $"'{part}' is not an IP address";
                    return false;
                }

                found.Add(single);
                continue;
            }

            if (!IPAddress.TryParse(part[..dash], out var first) || !IPAddress.TryParse(part[(dash + 1)..], out var last)
                || first.AddressFamily != AddressFamily.InterNetwork || last.AddressFamily != AddressFamily.InterNetwork)
            {
                error = $"'{part}' is not a range of IPv4 addresses (e.g. 127.0.0.1-127.0.0.8)";
                return false;
            }

            var (from, to) = (ToNumber(first), ToNumber(last));
            if (to < from)
            {
                error = $"'{part}' ends before it starts";
                return false;
            }

            if (to - from + 1 > Max)
            {
                error = $"'{part}' has {to - from + 1} addresses; at most {Max}";
                return false;
            }

            for (var n = from; n <= to; n++)
            {
                found.Add(FromNumber(n));
            }
        }

        if (found.Count == 0)
        {
            error = "no address given";
            return false;
        }

        if (found.Count > Max)
        {
            error = $"{found.Count} addresses; at most {Max}";
            return false;
        }

        var duplicate = found.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            error = $"{duplicate.Key} is given twice";
            return false;
        }

        addresses = found;
        return true;
    }

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static IPAddress FromNumber(uint n) => new([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
}
