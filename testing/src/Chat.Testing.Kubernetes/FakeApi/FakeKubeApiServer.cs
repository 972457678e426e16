using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Chat.Testing;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.Testing.Kubernetes.FakeApi;

/// <summary>
/// An in-process Kubernetes API server on a free loopback port, enough for the controller's real KubernetesClient:
/// list with resourceVersion, watch as newline-delimited JSON events from a resourceVersion (replaying what it
/// missed), BOOKMARK events, 410 Gone for compacted history, streams dropped on demand; merge-patch of
/// status, Event creation and Leases (get/create/update with optimistic concurrency). Every request is recorded
/// in RBAC terms, so tests can check them against the controller's declared permissions.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _objects = [];
    private readonly List<(long Version, string Resource, string Type, JsonObject Object)> _history = [];
    private readonly List<Watch> _watches = [];
    private readonly List<ApiRequest> _requests = [];
    private long _version = 100;
    private long _compactedBefore;
    private Func<ApiRequest, bool>? _authorize;

    private FakeKubeApiServer(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    /// <summary>
    /// Decides every request that carries a bearer token (its <see cref="ApiRequest.User"/>); refused ones get 403
    /// and stay in <see cref="Requests"/> with <see cref="ApiRequest.Allowed"/> false. Requests without a token (the
    /// test itself) are always allowed.
    /// </summary>
    public void Authorize(Func<ApiRequest, bool> decide) => _authorize = decide;

    /// <summary>Bearer tokens and the user each one authenticates (e.g. system:serviceaccount:ns:name).</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Raised after every stored change, with the resource ("group/resource") and the event type.</summary>
    public event Action<string, string, JsonObject>? Changed;

    public IReadOnlyList<ApiRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    public int ActiveWatches
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeKubeApiServer(app, port);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Creates or replaces an object (ADDED or MODIFIED for watchers); returns its new resourceVersion.</summary>
    public string Apply(IKubernetesObject<V1ObjectMeta> item)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
        var kind = item.Kind ?? KindOfType(item.GetType());
        var type = KubeKinds.Of(kind);
        json["apiVersion"] = type.ApiVersion;
        json["kind"] = kind;
        return ApplyJson(json);
    }

    /// <summary>Creates or replaces an object given as JSON with its apiVersion and kind.</summary>
    public string ApplyJson(JsonObject json)
    {
        var type = KubeKinds.Of(json["kind"]!.ToString());
        lock (_gate)
        {
            return Store(ResourceKey(type.Group, type.Resource), json.DeepClone().AsObject(), created: null);
        }
    }

    public void Delete(IKubernetesObject<V1ObjectMeta> item) =>
        Delete(item.Kind ?? KindOfType(item.GetType()), item.Metadata.NamespaceProperty, item.Metadata.Name);

    public void Delete(string kind, string? ns, string name)
    {
        var type = KubeKinds.Of(kind);
        Remove(ResourceKey(type.Group, type.Resource), ns, name);
    }

    /// <summary>Removes a stored object and tells its watchers; returns it as deleted, or null when it does not exist.</summary>
    private JsonObject? Remove(string key, string? ns, string name)
    {
        lock (_gate)
        {
            if (!Objects(key).Remove(NameKey(ns, name), out var existing))
            {
                return null;
            }

            existing = existing.DeepClone().AsObject();
            existing["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            Publish(key, "DELETED", existing);
            return existing;
        }
    }

    /// <summary>A JSON merge patch of a stored object (as a controller's status update); false when it does not exist.</summary>
    public bool MergePatch(string kind, string? ns, string name, JsonObject patch)
    {
        var type = KubeKinds.Of(kind);
        lock (_gate)
        {
            var key = ResourceKey(type.Group, type.Resource);
            if (Objects(key).GetValueOrDefault(NameKey(ns, name)) is not { } current)
            {
                return false;
            }

            var updated = current.DeepClone().AsObject();
            MergePatch(updated, patch);
            Store(key, updated, created: false);
            return true;
        }
    }

    /// <summary>A copy of a stored object, or null.</summary>
    public JsonObject? GetJson(string kind, string? ns, string name)
    {
        var type = KubeKinds.Of(kind);
        lock (_gate)
        {
            return Objects(ResourceKey(type.Group, type.Resource)).GetValueOrDefault(NameKey(ns, name))?.DeepClone().AsObject();
        }
    }

    public T? Get<T>(string apiGroup, string resource, string? ns, string name)
    {
        lock (_gate)
        {
            return Objects(ResourceKey(apiGroup, resource)).TryGetValue(NameKey(ns, name), out var json)
                ? KubernetesJson.Deserialize<T>(json.ToJsonString())
                : default;
        }
    }

    public IReadOnlyList<T> All<T>(string apiGroup, string resource)
    {
        lock (_gate)
        {
            return Objects(ResourceKey(apiGroup, resource)).Values.Select(j => KubernetesJson.Deserialize<T>(j.ToJsonString())).ToList();
        }
    }

    /// <summary>Forgets history: a watch from any older resourceVersion now gets 410 Gone.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _compactedBefore = _version + 1;
            _history.Clear();
        }
    }

    /// <summary>Cuts every open watch stream (the connection is aborted, as when an API server restarts).</summary>
    public void DropWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Context.Abort();
            }
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion on every open watch.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                var bookmark = new JsonObject
                {
                    ["kind"] = watch.Kind,
                    ["apiVersion"] = watch.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) },
                };
                watch.Lines.Writer.TryWrite(EventLine("BOOKMARK", bookmark));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = Parse(context.Request);
        if (request is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", "unknown path " + context.Request.Path);
            return;
        }

        var (group, version, ns, resource, name, subresource) = request.Value;
        var query = context.Request.Query;
        var isWatch = query["watch"] == "true" || query["watch"] == "1";
        var verb = context.Request.Method switch
        {
            "GET" when name is null => isWatch ? "watch" : "list",
            "GET" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => context.Request.Method.ToLowerInvariant(),
        };
        var user = User(context.Request);
        var recorded = new ApiRequest(context.Request.Method, group, subresource is null ? resource : resource + "/" + subresource, verb, ns,
            context.Request.Path + context.Request.QueryString, user, name);
        if (user is not null && _authorize is { } authorize && !authorize(recorded))
        {
            lock (_gate)
            {
                _requests.Add(recorded with { Allowed = false });
            }

            await WriteStatusAsync(context, 403, "Forbidden", $"{user} cannot {verb} {recorded.Resource} in {ns ?? "the cluster"}");
            return;
        }

        lock (_gate)
        {
            _requests.Add(recorded);
        }

        var key = ResourceKey(group, resource);
        var filter = new Filter(ns, query["fieldSelector"].ToString(), query["labelSelector"].ToString());
        switch (verb)
        {
            case "list":
                await ListAsync(context, key, group, version, resource, filter);
                break;
            case "watch":
                await WatchAsync(context, key, group, version, resource, filter, query["resourceVersion"].ToString());
                break;
            case "get":
                await GetAsync(context, key, ns, name!);
                break;
            case "create":
                await CreateAsync(context, key, ns);
                break;
            case "update":
                await UpdateAsync(context, key, ns, name!);
                break;
            case "patch":
                await PatchAsync(context, key, ns, name!, subresource);
                break;
            case "delete" when name is not null:
                await DeleteAsync(context, key, ns, name);
                break;
            default:
                await WriteStatusAsync(context, 405, "MethodNotAllowed", verb + " is not supported by the fake");
                break;
        }
    }

    private string? User(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        lock (_gate)
        {
            return Tokens.GetValueOrDefault(header["Bearer ".Length..].Trim()) ?? "system:anonymous";
        }
    }

    private async Task ListAsync(HttpContext context, string key, string group, string version, string resource, Filter filter)
    {
        JsonObject list;
        lock (_gate)
        {
            list = new JsonObject
            {
                ["kind"] = KindOf(resource) + "List",
                ["apiVersion"] = group.Length == 0 ? version : $"{group}/{version}",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray(Objects(key).Values.Where(filter.Matches).Select(o => (JsonNode)o.DeepClone()).ToArray()),
            };
        }

        await WriteJsonAsync(context, 200, list);
    }

    private async Task WatchAsync(HttpContext context, string key, string group, string version, string resource, Filter filter, string fromVersion)
    {
        var since = long.TryParse(fromVersion, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var watch = new Watch(context, key, filter, KindOf(resource), group.Length == 0 ? version : $"{group}/{version}");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        lock (_gate)
        {
            if (since != 0 && since < _compactedBefore - 1)
            {
                var status = new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["status"] = "Failure",
                    ["message"] = $"too old resource version: {since} ({_compactedBefore - 1})",
                    ["reason"] = "Expired",
                    ["code"] = 410,
                };
                watch.Lines.Writer.TryWrite(EventLine("ERROR", status));
                watch.Lines.Writer.TryComplete();
            }
            else
            {
                foreach (var (eventVersion, resourceKey, type, item) in _history)
                {
                    if (eventVersion > since && resourceKey == key && filter.Matches(item))
                    {
                        watch.Lines.Writer.TryWrite(EventLine(type, item));
                    }
                }

                _watches.Add(watch);
            }
        }

        try
        {
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (var line in watch.Lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Client went away or the stream was dropped on purpose.
        }
        finally
        {
            lock (_gate)
            {
                _watches.Remove(watch);
            }
        }
    }

    private async Task GetAsync(HttpContext context, string key, string? ns, string name)
    {
        JsonObject? item;
        lock (_gate)
        {
            item = Objects(key).GetValueOrDefault(NameKey(ns, name))?.DeepClone().AsObject();
        }

        if (item is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"{key} \"{name}\" not found");
        }
        else
        {
            await WriteJsonAsync(context, 200, item);
        }
    }

    private async Task CreateAsync(HttpContext context, string key, string? ns)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var metadata = (body["metadata"] ??= new JsonObject()).AsObject();
        metadata["namespace"] = ns;
        if (metadata["name"] is null)
        {
            metadata["name"] = metadata["generateName"]?.ToString() + Guid.NewGuid().ToString("N")[..10];
        }

        string version;
        lock (_gate)
        {
            if (Objects(key).ContainsKey(NameKey(ns, metadata["name"]!.ToString())))
            {
                version = "";
            }
            else
            {
                metadata["uid"] = Guid.NewGuid().ToString();
                version = Store(key, body, created: true);
            }
        }

        if (version.Length == 0)
        {
            await WriteStatusAsync(context, 409, "AlreadyExists", $"{key} \"{metadata["name"]}\" already exists");
            return;
        }

        await WriteJsonAsync(context, 201, body);
    }

    private async Task UpdateAsync(HttpContext context, string key, string? ns, string name)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var expected = body["metadata"]?["resourceVersion"]?.ToString();
        int status;
        lock (_gate)
        {
            var current = Objects(key).GetValueOrDefault(NameKey(ns, name));
            if (current is null)
            {
                status = 404;
            }
            else if (expected is not null && expected != current["metadata"]?["resourceVersion"]?.ToString())
            {
                status = 409;
            }
            else
            {
                Store(key, body, created: false);
                status = 200;
            }
        }

        if (status == 200)
        {
            await WriteJsonAsync(context, 200, body);
        }
        else
        {
            await WriteStatusAsync(context, status, status == 404 ? "NotFound" : "Conflict", $"{key} \"{name}\": {status}");
        }
    }

    private async Task DeleteAsync(HttpContext context, string key, string? ns, string name)
    {
        var deleted = Remove(key, ns, name);
        if (deleted is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"{key} \"{name}\" not found");
        }
        else
        {
            await WriteJsonAsync(context, 200, deleted);
        }
    }

    private async Task PatchAsync(HttpContext context, string key, string? ns, string name, string? subresource)
    {
        var patch = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        JsonObject? result = null;
        lock (_gate)
        {
            if (Objects(key).GetValueOrDefault(NameKey(ns, name)) is { } current)
            {
                var updated = current.DeepClone().AsObject();
                if (subresource == "status")
                {
                    // A status patch changes only the status.
                    patch = new JsonObject { ["status"] = patch["status"]?.DeepClone() };
                }

                MergePatch(updated, patch);
                Store(key, updated, created: false);
                result = updated;
            }
        }

        if (result is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"{key} \"{name}\" not found");
        }
        else
        {
            await WriteJsonAsync(context, 200, result);
        }
    }

    private string Store(string key, JsonObject json, bool? created)
    {
        var metadata = json["metadata"]!.AsObject();
        var name = NameKey(metadata["namespace"]?.ToString(), metadata["name"]!.ToString());
        var objects = Objects(key);
        var exists = objects.TryGetValue(name, out var previous);
        metadata["uid"] ??= previous?["metadata"]?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= previous?["metadata"]?["creationTimestamp"]?.DeepClone() ?? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var version = (++_version).ToString(CultureInfo.InvariantCulture);
        metadata["resourceVersion"] = version;
        // metadata.generation as the API server keeps it: 1 on creation, +1 on every change of spec.
        var previousGeneration = previous?["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        metadata["generation"] = previous is null ? 1
            : previous["spec"]?.ToJsonString() == json["spec"]?.ToJsonString() ? Math.Max(1, previousGeneration) : previousGeneration + 1;
        objects[name] = json;
        Publish(key, (created ?? !exists) ? "ADDED" : "MODIFIED", json);
        return version;
    }

    private void Publish(string key, string type, JsonObject item)
    {
        Changed?.Invoke(key, type, item);
        _history.Add((_version, key, type, item.DeepClone().AsObject()));
        foreach (var watch in _watches.Where(w => w.Key == key && w.Filter.Matches(item)))
        {
            watch.Lines.Writer.TryWrite(EventLine(type, item));
        }
    }

    private Dictionary<string, JsonObject> Objects(string key)
    {
        if (!_objects.TryGetValue(key, out var objects))
        {
            _objects[key] = objects = new Dictionary<string, JsonObject>();
        }

        return objects;
    }

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject child && target[name] is JsonObject existing)
            {
                MergePatch(existing, child);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private static string EventLine(string type, JsonObject item) =>
        new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString() + "\n";

    private static string ResourceKey(string group, string resource) => group + "/" + resource;

    private static string NameKey(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    private static string KindOf(string resource) => KubeKinds.ByResource(resource)?.Kind ?? resource;

    private static string KindOfType(Type type) => type.Name.StartsWith("V1", StringComparison.Ordinal) || type.Name.StartsWith("V2", StringComparison.Ordinal)
        ? type.Name[2..]
        : type.Name;

    /// <summary>/api/v1/... or /apis/{group}/{version}/..., then [namespaces/{ns}/]{resource}[/{name}[/{subresource}]].</summary>
    private static (string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)? Parse(HttpRequest request)
    {
        var parts = request.Path.Value!.Trim('/').Split('/');
        int i;
        string group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, i) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, i) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (parts.Length > i + 2 && parts[i] == "namespaces")
        {
            ns = parts[i + 1];
            i += 2;
        }

        return (group, version, ns, parts[i], parts.Length > i + 1 ? parts[i + 1] : null, parts.Length > i + 2 ? parts[i + 2] : null);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message) =>
        WriteJsonAsync(context, code, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        });

    private sealed record Watch(HttpContext Context, string Key, Filter Filter, string Kind, string ApiVersion)
    {
        public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();
    }

    /// <summary>Namespace, field selectors (metadata.name, metadata.namespace, type) and equality label selectors.</summary>
    private sealed record Filter(string? Namespace, string FieldSelector, string LabelSelector)
    {
        public bool Matches(JsonObject item)
        {
            var metadata = item["metadata"];
            if (Namespace is not null && metadata?["namespace"]?.ToString() != Namespace)
            {
                return false;
            }

            foreach (var term in Terms(FieldSelector))
            {
                var actual = term.Key switch
                {
                    "metadata.name" => metadata?["name"]?.ToString(),
                    "metadata.namespace" => metadata?["namespace"]?.ToString(),
                    "type" => item["type"]?.ToString(),
                    _ => null,
                };
                if (actual != term.Value)
                {
                    return false;
                }
            }

            return Terms(LabelSelector).All(term => metadata?["labels"]?[term.Key]?.ToString() == term.Value);
        }

        private static IEnumerable<KeyValuePair<string, string>> Terms(string selector) =>
            WebUtility.UrlDecode(selector).Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.Split('=', 2))
                .Where(t => t.Length == 2)
                .Select(t => new KeyValuePair<string, string>(t[0], t[1]));
    }
}
