using System.Net;
using Chat.LoadTest.Clients;
using Chat.LoadTest.Metrics;
using Chat.LoadTest.Scenarios;
using Chat.LoadTest.Targets;

namespace Chat.LoadTest.Tests;

public sealed class GeneratorShareTests
{
    [Fact]
    public async Task Generators_split_whole_rooms_and_every_client_is_opened_by_exactly_one()
    {
        var addresses = Enumerable.Range(1, 4).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        var seen = new List<(int Generator, ClientIdentity Client)>();
        for (var g = 0; g < 3; g++)
        {
            var share = new GeneratorShare(g, 3);
            await using var fleet = new ClientFleet(25, 7, 0.5, "t", new RemoteTarget(new Uri("http://127.0.0.1:1/")), new LoadMetrics(),
                sourceAddresses: addresses, share: share);
            Assert.Equal(share.ConnectionsOf(25, 7), fleet.Clients.Count);
            seen.AddRange(fleet.Clients.Select(c => (g, c.Identity)));
        }

        Assert.Equal(Enumerable.Range(0, 25), seen.Select(s => s.Client.Index).Order());
        Assert.All(seen.GroupBy(s => s.Client.Room), room => Assert.Single(room.Select(s => s.Generator).Distinct()));

        // Four addresses over three generators: 0 takes .1 and .4, 1 takes .2, 2 takes .3; none shares one.
        Assert.Equal(["127.0.0.1", "127.0.0.4"], seen.Where(s => s.Generator == 0).Select(s => s.Client.SourceAddress!.ToString()).Distinct().Order());
        Assert.Equal(["127.0.0.2"], seen.Where(s => s.Generator == 1).Select(s => s.Client.SourceAddress!.ToString()).Distinct());
    }

    [Fact]
    public void Fewer_addresses_than_generators_are_used_by_all()
    {
        Assert.Equal(["a"], new GeneratorShare(2, 3).AddressesOf(["a"]));
    }
}
