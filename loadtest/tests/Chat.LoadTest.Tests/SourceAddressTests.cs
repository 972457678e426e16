using System.Net;
using Chat.LoadTest.Clients;
using Chat.LoadTest.Cli;
using Chat.LoadTest.Metrics;
using Chat.LoadTest.Targets;

namespace Chat.LoadTest.Tests;

public sealed class SourceAddressTests
{
    [Fact]
    public void A_range_is_every_address_from_the_first_to_the_last()
    {
        Assert.True(SourceAddresses.TryParse("127.0.0.1-127.0.0.8", out var addresses, out _));
        Assert.Equal([.. Enumerable.Range(1, 8).Select(i => IPAddress.Parse($"127.0.0.{i}"))], addresses);
    }

    [Fact]
    public void A_list_and_ranges_mix_and_a_range_crosses_octets()
    {
        Assert.True(SourceAddresses.TryParse("10.0.0.255-10.0.1.1, ::1", out var addresses, out _));
        Assert.Equal(["10.0.0.255", "10.0.1.0", "10.0.1.1", "::1"], addresses.Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("127.0.0.8-127.0.0.1", "ends before it starts")]
    [InlineData("127.0.0.1-localhost", "not a range of IPv4 addresses")]
    [InlineData("127.0.0.300", "not an IP address")]
    [InlineData("127.0.0.1,127.0.0.1", "given twice")]
    [InlineData("10.0.0.0-10.0.255.255", "at most 1024")]
    [InlineData(" , ", "no address")]
    public void A_bad_range_says_what_is_wrong(string text, string error)
    {
        Assert.False(SourceAddresses.TryParse(text, out _, out var message));
        Assert.Contains(error, message);
    }

    [Fact]
    public async Task The_command_line_names_the_bad_range()
    {
        var error = new StringWriter();
        var exitCode = await LoadTestCommands.Create().Parse(["local", "fanout", "--source-addresses", "127.0.0.9-127.0.0.2"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = error });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--source-addresses: '127.0.0.9-127.0.0.2' ends before it starts", error.ToString());
    }

    [Fact]
    public async Task Clients_take_the_source_addresses_in_turn()
    {
        var addresses = Enumerable.Range(1, 3).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        await using var fleet = new ClientFleet(7, 2, 0.5, "t", new RemoteTarget(new Uri("http://127.0.0.1:1/")), new LoadMetrics(), sourceAddresses: addresses);
        Assert.Equal(
            ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.1"],
            fleet.Clients.Select(c => c.Identity.SourceAddress!.ToString()));
    }
}
