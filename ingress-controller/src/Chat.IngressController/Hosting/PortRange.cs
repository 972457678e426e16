using System.Globalization;

namespace Chat.IngressController.Hosting;

/// <summary>An inclusive range of TCP ports, written "first-last".</summary>
public sealed record PortRange(int First, int Last)
{
    public static PortRange? TryParse(string? value)
    {
        var parts = value?.Split('-', StringSplitOptions.TrimEntries) ?? [];
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first >= 1 && first <= last && last <= 65535
            ? new PortRange(first, last)
            : null;
    }

    public bool Contains(int port) => port >= First && port <= Last;

    public IEnumerable<int> Ports => Enumerable.Range(First, Last - First + 1);

    public override string ToString() => $"{First}-{Last}";
}
