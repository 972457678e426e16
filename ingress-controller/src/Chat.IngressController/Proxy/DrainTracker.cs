using Chat.Proxy;
using Chat.IngressController.Translation;

namespace Chat.IngressController.Proxy;

/// <summary>
/// Remembers since when each endpoint has been serving-and-terminating, so that its drain time can end even though
/// its EndpointSlice does not change again.
/// </summary>
public static class DrainTracker
{
    public static Dictionary<string, DateTimeOffset> Track(ClusterState state, IReadOnlyDictionary<string, DateTimeOffset> previous, DateTimeOffset now)
    {
        var next = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var slice in state.EndpointSlices.SelectMany(g => g))
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var ready = endpoint.Conditions?.Ready ?? true;
                var serving = endpoint.Conditions?.Serving ?? ready;
                if (ready || !serving || endpoint.Conditions?.Terminating != true || endpoint.Addresses is not { Count: > 0 })
                {
                    continue;
                }

                foreach (var port in slice.Ports ?? [])
                {
                    var address = endpoint.Addresses[0];
                    var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
                    var url = $"http://{host}:{port.Port}";
                    next[url] = previous.TryGetValue(url, out var since) ? since : now;
                }
            }
        }

        return next;
    }

    /// <summary>Time until the next draining destination still in the config reaches its cluster's drain timeout.</summary>
    public static TimeSpan? NextExpiry(IReadOnlyDictionary<string, DateTimeOffset> drainingSince, TranslationResult result, DateTimeOffset now)
    {
        TimeSpan? next = null;
        foreach (var cluster in result.Clusters)
        {
            var drain = cluster.Metadata?.GetValueOrDefault(MetadataKeys.DrainTimeout) is { } raw
                && double.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
            foreach (var destination in cluster.Destinations?.Values ?? [])
            {
                if (destination.Metadata?.ContainsKey(ChatProxyMetadata.Draining) == true && drainingSince.TryGetValue(destination.Address, out var since))
                {
                    var wait = since + drain - now;
                    wait = (wait < TimeSpan.Zero ? TimeSpan.Zero : wait) + TimeSpan.FromMilliseconds(50);
                    next = next is null || wait < next ? wait : next;
                }
            }
        }

        return next;
    }
}
