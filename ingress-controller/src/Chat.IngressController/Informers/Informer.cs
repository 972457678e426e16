using System.Collections.Immutable;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Observability;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Chat.IngressController.Informers;

/// <summary>
/// Keeps an in-memory copy of one kind of object: list, then watch from the list's resourceVersion; bookmarks move
/// the resourceVersion on; 410 Gone re-lists; a dropped stream reconnects with backoff; a periodic re-list (resync)
/// is the safety net for anything missed. Optionally keeps the items grouped by a key of their own (an index), updated
/// per event, so a group that did not change stays the same object. Only <see cref="RunAsync"/> writes.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly ResourceApi<T> _api;
    private readonly TimeSpan _resync;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action _changed;
    private readonly Func<T, string?>? _indexKey;
    private volatile Contents _contents = Contents.Empty;
    private volatile bool _synced;

    public Informer(ResourceApi<T> api, TimeSpan resync, ControllerMetrics metrics, ILogger logger, Action changed, Func<T, string?>? indexKey = null)
    {
        _indexKey = indexKey;
        _api = api;
        _resync = resync;
        _metrics = metrics;
        _logger = logger;
        _changed = changed;
    }

    public string Kind => _api.Kind;

    /// <summary>Snapshot keyed by "namespace/name" (or "name" for cluster-scoped objects).</summary>
    public ImmutableDictionary<string, T> Items => _contents.Items;

    /// <summary>The items by index key, then by "namespace/name" (empty without an index key function).</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, T>> Index => _contents.Index;

    /// <summary>True once the first list has completed.</summary>
    public bool Synced => _synced;

    public static string KeyOf(T item) =>
        string.IsNullOrEmpty(item.Metadata.NamespaceProperty) ? item.Metadata.Name : item.Metadata.NamespaceProperty + "/" + item.Metadata.Name;

    public async Task RunAsync(CancellationToken stopping)
    {
        string? resourceVersion = null;
        var backoff = MinBackoff;
        var nextResync = DateTime.UtcNow + _resync;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null || DateTime.UtcNow >= nextResync)
                {
                    resourceVersion = await ListAsync(stopping);
                    nextResync = DateTime.UtcNow + _resync;
                }

                resourceVersion = await WatchAsync(resourceVersion, nextResync, stopping);
                backoff = MinBackoff;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsNotFound(e))
            {
                // The kind is not installed (e.g. no Gateway API CRDs): nothing to watch; look again later.
                if (!_synced)
                {
                    _logger.LogInformation("{Kind}: not served by the API server (404); treated as empty, checked again every {Seconds} s", Kind, (int)MaxBackoff.TotalSeconds);
                }

                _contents = Contents.Empty;
                _synced = true;
                _changed();
                resourceVersion = null;
                await DelayAsync(MaxBackoff, stopping);
            }
            catch (Exception e) when (IsGone(e))
            {
                _logger.LogInformation("{Kind} watch: resourceVersion too old (410 Gone), listing again", Kind);
                _metrics.WatchRestarted(Kind, "gone");
                resourceVersion = null;
            }
            catch (Exception e)
            {
                _logger.LogWarning("{Kind} list/watch failed, retrying in {Backoff} ms: {Error}", Kind, (int)backoff.TotalMilliseconds, e.Message);
                _metrics.WatchRestarted(Kind, "error");
                await DelayAsync(backoff, stopping);
                backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, backoff.TotalMilliseconds * 2 * (0.8 + Random.Shared.NextDouble() * 0.4)));
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var (items, resourceVersion) = await _api.List(timeout.Token);
        var builder = ImmutableDictionary.CreateBuilder<string, T>();
        foreach (var item in items)
        {
            builder[KeyOf(item)] = item;
        }

        var index = ImmutableDictionary<string, ImmutableDictionary<string, T>>.Empty;
        if (_indexKey is not null)
        {
            index = builder.Where(kv => _indexKey(kv.Value) is not null).GroupBy(kv => _indexKey(kv.Value)!)
                .ToImmutableDictionary(g => g.Key, g => g.ToImmutableDictionary());
        }

        _contents = new Contents(builder.ToImmutable(), index);
        _synced = true;
        _changed();
        return resourceVersion;
    }

    /// <summary>Watches until the stream ends or the resync is due; returns the last resourceVersion seen.</summary>
    private async Task<string?> WatchAsync(string resourceVersion, DateTime resyncAt, CancellationToken stopping)
    {
        Exception? streamError = null;
        using var resync = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        resync.CancelAfter(Max(TimeSpan.Zero, resyncAt - DateTime.UtcNow));
        try
        {
            await foreach (var (type, item) in _api.Watch(resourceVersion, e => streamError ??= e, resync.Token))
            {
                if (item?.Metadata is null)
                {
                    continue;
                }

                switch (type)
                {
                    case WatchEventType.Added:
                    case WatchEventType.Modified:
                        _contents = _contents.Set(KeyOf(item), item, _indexKey);
                        _changed();
                        break;
                    case WatchEventType.Deleted:
                        _contents = _contents.Remove(KeyOf(item), _indexKey);
                        _changed();
                        break;
                    case WatchEventType.Bookmark:
                        break;
                }

                if (!string.IsNullOrEmpty(item.Metadata.ResourceVersion))
                {
                    resourceVersion = item.Metadata.ResourceVersion;
                }

                if (streamError is not null)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (resync.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            _metrics.WatchRestarted(Kind, "resync");
            return resourceVersion;
        }

        if (streamError is not null)
        {
            throw streamError;
        }

        _metrics.WatchRestarted(Kind, "closed");
        return resourceVersion;
    }

    /// <summary>The items and their index, replaced together.</summary>
    private sealed record Contents(ImmutableDictionary<string, T> Items, ImmutableDictionary<string, ImmutableDictionary<string, T>> Index)
    {
        public static readonly Contents Empty = new(ImmutableDictionary<string, T>.Empty, ImmutableDictionary<string, ImmutableDictionary<string, T>>.Empty);

        public Contents Set(string key, T item, Func<T, string?>? indexKey)
        {
            var index = Unindexed(key, indexKey);
            if (indexKey?.Invoke(item) is { } group)
            {
                index = index.SetItem(group, index.GetValueOrDefault(group, ImmutableDictionary<string, T>.Empty).SetItem(key, item));
            }

            return new Contents(Items.SetItem(key, item), index);
        }

        public Contents Remove(string key, Func<T, string?>? indexKey) => new(Items.Remove(key), Unindexed(key, indexKey));

        private ImmutableDictionary<string, ImmutableDictionary<string, T>> Unindexed(string key, Func<T, string?>? indexKey)
        {
            if (indexKey is null || !Items.TryGetValue(key, out var old) || indexKey(old) is not { } group || !Index.TryGetValue(group, out var members))
            {
                return Index;
            }

            var rest = members.Remove(key);
            return rest.IsEmpty ? Index.Remove(group) : Index.SetItem(group, rest);
        }
    }

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => (int?)h.Response?.StatusCode == 410,
        _ => false,
    };

    private static bool IsNotFound(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == 404,
        HttpOperationException h => (int?)h.Response?.StatusCode == 404,
        _ => false,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>What the controller needs of an informer whatever its kind.</summary>
public interface IInformer
{
    string Kind { get; }

    bool Synced { get; }

    Task RunAsync(CancellationToken stopping);
}
