using Chat.Proxy.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Chat.Proxy.Tests;

/// <summary>The indexed host policy against ASP.NET Core's own, on the same routes and the same requests.</summary>
public sealed class IndexedHostMatcherPolicyTests
{
    private static readonly string[][] RouteHostLists =
    [
        ["a.example.com"],
        ["*.example.com"],
        ["b.example.com:8080"],
        [],
        ["*.a.example.com"],
        ["A.example.com"],
        ["*:8080"],
        ["c.example.com", "*.c.example.com"],
        ["b.example.com:*"],
        ["*"],
        ["*.example.com:9090"],
        ["d.example.com:8080", "d.example.com"],
    ];

    public static TheoryData<string, string> Requests() => new()
    {
        { "http", "a.example.com" }, { "http", "A.EXAMPLE.COM" }, { "https", "a.example.com" }, { "http", "a.example.com:8080" },
        { "http", "b.example.com:8080" }, { "http", "b.example.com:9090" }, { "http", "b.example.com" },
        { "http", "x.example.com" }, { "http", "x.a.example.com" }, { "http", "x.example.com:9090" },
        { "http", "c.example.com" }, { "http", "z.c.example.com" }, { "http", "d.example.com:8080" }, { "http", "d.example.com" },
        { "http", "other.org" }, { "http", "other.org:8080" }, { "ws", "other.org" }, { "http", "[::1]:8080" }, { "http", "example.com" },
    };

    [Fact]
    public void Gives_the_same_edges_with_the_same_endpoints_in_the_same_order()
    {
        Assert.Equal(Edges(Theirs(), TheirEndpoints()), Edges(Ours(), OurEndpoints()));
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Sends_a_request_to_the_same_edge(string scheme, string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        Assert.Equal(Destination(Theirs(), TheirEndpoints(), context), Destination(Ours(), OurEndpoints(), context));
    }

    [Fact]
    public void Applies_only_where_an_endpoint_has_hosts()
    {
        Assert.False(Ours().AppliesToEndpoints(OurEndpoints().Where(e => e.Metadata.GetMetadata<RouteHosts>() is null).ToList()));
        Assert.True(Ours().AppliesToEndpoints(OurEndpoints()));
    }

    [Fact]
    public void Leaves_a_host_list_it_cannot_read_to_ASP_NET_Core()
    {
        var endpoint = Endpoint("bad", ["a.example.com:x:y"], index: true);
        Assert.Null(endpoint.Metadata.GetMetadata<RouteHosts>());
        Assert.NotNull(endpoint.Metadata.GetMetadata<IHostMetadata>());
    }

    [Fact]
    public void Ranks_an_endpoint_with_hosts_before_one_without()
    {
        var endpoints = OurEndpoints();
        Assert.True(Ours().Comparer.Compare(endpoints[0], endpoints[3]) < 0);
        Assert.True(Ours().Comparer.Compare(endpoints[3], endpoints[0]) > 0);
    }

    private static INodeBuilderPolicy Theirs() => new HostMatcherPolicy();

    private static IndexedHostMatcherPolicy Ours() => new();

    private static List<Endpoint> TheirEndpoints() => [.. RouteHostLists.Select((hosts, i) => Endpoint("r" + i, hosts, index: false))];

    private static List<Endpoint> OurEndpoints() => [.. RouteHostLists.Select((hosts, i) => Endpoint("r" + i, hosts, index: true))];

    private static Endpoint Endpoint(string name, string[] hosts, bool index)
    {
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/{**catch-all}"), 0) { DisplayName = name };
        if (hosts.Length > 0)
        {
            builder.Metadata.Add(new HostAttribute(hosts));
        }

        if (index)
        {
            RouteHosts.Index(builder);
        }

        return builder.Build();
    }

    private static List<string> Edges(INodeBuilderPolicy policy, List<Endpoint> endpoints) =>
        [.. policy.GetEdges(endpoints).Select(edge => $"{edge.State} -> {string.Join(",", edge.Endpoints.Select(e => e.DisplayName))}")];

    /// <summary>The edge a request is sent to, by its key (edges are numbered in order as the matcher's states).</summary>
    private static string Destination(INodeBuilderPolicy policy, List<Endpoint> endpoints, HttpContext context)
    {
        var edges = policy.GetEdges(endpoints);
        var table = policy.BuildJumpTable(-1, [.. edges.Select((edge, i) => new PolicyJumpTableEdge(edge.State, i))]);
        var destination = table.GetDestination(context);
        return destination < 0 ? "(none)" : edges[destination].State.ToString()!;
    }
}
