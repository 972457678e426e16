using System.Runtime.CompilerServices;
using Chat.Proxy;
using k8s.Models;
using Chat.IngressController.Translation;

namespace Chat.IngressController.Proxy;

/// <summary>
/// Remembers since when each endpoint has been serving-and-terminating, so that its drain time can end even though
/// its EndpointSlice does not change again.
/// </summary>
public static class DrainTracker
{
    // The draining addresses of a Service's slices, by group: the informers keep an unchanged group the same object.
    private static readonly ConditionalWeakTable<IGrouping<string, V1EndpointSlice>, List<string>> DrainingByGroup = [];

    public static Dictionary<string, DateTimeOffset> Track(ClusterState state, IReadOnlyDictionary<string, DateTimeOffset> previous, DateTimeOffset now)
    {
        var next = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var group in state.EndpointSlices)
        {
            foreach (var url in DrainingByGroup.GetValue(group, Draining))
            {
                next[url] = previous.TryGetValue(url, out var since) ? since : now;
            }
        }

        return next;
    }

    private static List<string> Draining(IEnumerable<V1EndpointSlice> slices)
    {
        var urls = new List<string>();
        foreach (var slice in slices)
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
                    urls.Add($"http://{host}:{port.Port}");
                }
            }
        }

        return urls;
    }

    /// <summary>Time until the next draining destination still in the config reaches its cluster's drain timeout.</summary>
    public static TimeSpan? NextExpiry(IReadOnlyDictionary<string, DateTimeOffset> drainingSince, TranslationResult result, DateTimeOffset now)
    {
        TimeSpan? next = null;
        if (drainingSince.Count == 0)
        {
            return next; // the common case: nothing drains, no cluster needs reading
        }

        foreach (var cluster in result.Clusters)
        {
            TimeSpan? drain = null;
            foreach (var destination in cluster.Destinations?.Values ?? [])
            {
                if (destination.Metadata?.ContainsKey(ChatProxyMetadata.Draining) == true && drainingSince.TryGetValue(destination.Address, out var since))
                {
                    drain ??= cluster.Metadata?.GetValueOrDefault(MetadataKeys.DrainTimeout) is { } raw
                        && double.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
                    var wait = since + drain.Value - now;
                    wait = (wait < TimeSpan.Zero ? TimeSpan.Zero : wait) + TimeSpan.FromMilliseconds(50);
                    next = next is null || wait < next ? wait : next;
                }
            }
        }

        return next;
    }
}
