using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Integration;

/// <summary>The controller's informers against the list/watch protocol: resourceVersion, 410 Gone, bookmarks, dropped streams.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class WatchProtocolTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Follows_changes_across_dropped_streams_410_gone_and_bookmarks_and_is_ready_after_first_sync()
    {
        await using var a = await EchoBackend.StartAsync("a");
        await using var b = await EchoBackend.StartAsync("b");
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(IngressClass());
        api.Apply(Service("web", "web"));
        foreach (var slice in Slices("web", "web", [(a.Port, true, true, false)]))
        {
            api.Apply(slice);
        }

        api.Apply(Ingress("web", "web", "web"));
        await using var controller = await ControllerHost.StartAsync(api);

        Assert.True(await Eventually.TrueAsync(() => IsReadyAsync(controller), TimeSpan.FromSeconds(10)), "ready after the first full sync");
        Assert.Equal("a / 0", await Http.GetStringAsync(new Uri(controller.Http, "/")));

        // A dropped stream: the informer watches again from its resourceVersion and misses nothing.
        var watchesBefore = WatchRequests(api);
        api.DropWatches();
        api.Apply(Slice("web", "web", [(b.Port, true, true, false)], $"web-{a.Port}"));
        Assert.True(await Eventually.TrueAsync(async () => await Http.GetStringAsync(new Uri(controller.Http, "/")) == "b / 0", TimeSpan.FromSeconds(10)),
            "the change made while the stream was down is followed");
        Assert.True(WatchRequests(api) > watchesBefore);
        Assert.Contains(api.Requests, r => r.Verb == "watch" && r.Path.Contains("resourceVersion=", StringComparison.Ordinal));

        // Bookmarks move the resourceVersion on without changing anything.
        api.SendBookmarks();

        // History compacted: the next watch gets 410 Gone, the informer lists again.
        var listsBefore = api.Requests.Count(r => r.Verb == "list" && r.Resource == "endpointslices");
        api.CompactHistory();
        api.DropWatches();
        api.Apply(Slice("web", "web", [(a.Port, true, true, false)], $"web-{a.Port}"));
        Assert.True(await Eventually.TrueAsync(async () => await Http.GetStringAsync(new Uri(controller.Http, "/")) == "a / 0", TimeSpan.FromSeconds(10)),
            "the change is followed after a re-list");
        Assert.True(api.Requests.Count(r => r.Verb == "list" && r.Resource == "endpointslices") > listsBefore, "410 Gone led to a re-list");

        // New Ingress, deleted Ingress.
        var second = Ingress("web", "other", "web", path: "/other");
        api.Apply(second);
        Assert.True(await Eventually.TrueAsync(async () => await Http.GetStringAsync(new Uri(controller.Http, "/other/x")) == "a /other/x 0", TimeSpan.FromSeconds(10)));
        api.Delete(Ingress("web", "web", "web"));
        Assert.True(await Eventually.TrueAsync(async () => (await Http.GetAsync(new Uri(controller.Http, "/"))).StatusCode == System.Net.HttpStatusCode.NotFound, TimeSpan.FromSeconds(10)));
    }

    private static int WatchRequests(FakeKubeApiServer api) => api.Requests.Count(r => r.Verb == "watch");

    private static async Task<bool> IsReadyAsync(ControllerHost controller)
    {
        using var response = await Http.GetAsync(new Uri(controller.Health, "/readyz"));
        return response.IsSuccessStatusCode;
    }
}
