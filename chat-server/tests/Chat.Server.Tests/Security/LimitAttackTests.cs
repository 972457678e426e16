using System.Net;
using Chat.Contracts;
using Chat.Server.Tests.Stomp;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Security;

/// <summary>
/// Limits on every path, attacked from one loopback address with a bystander on another (issue "Why": one SignalR
/// connection sent 41,506 messages in 10 s, reconnecting refilled STOMP's bucket, 10,000 rooms on one connection,
/// 3,000 idle WebSockets and 30,000 negotiates from one address). Small limits so that each is hit quickly.
/// </summary>
public sealed class LimitAttackTests : IAsyncLifetime
{
    private InProcessChatServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new InProcessChatServer(new Dictionary<string, string?>
        {
            ["Chat:Limits:InvocationsPerSecond"] = "5",
            ["Chat:Limits:InvocationBurst"] = "20",
            ["Chat:Limits:AddressMessagesPerSecond"] = "5",
            ["Chat:Limits:AddressMessageBurst"] = "30",
            ["Chat:Limits:RoomsPerConnection"] = "5",
            ["Chat:Limits:ConnectionsPerAddress"] = "6",
            ["Chat:Limits:AddressConnectsPerSecond"] = "1",
            ["Chat:Limits:AddressConnectBurst"] = "12",
            ["Chat:Limits:MaxHistoryMessages"] = "10",
            ["Chat:Stomp:MaxFramesPerSecond"] = "1000",
            ["Chat:Stomp:FrameBurst"] = "1000",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task One_signalr_connection_cannot_flood_a_room()
    {
        await using var flooder = await RawHubClient.ConnectAsync(_server.BaseAddress);
        await flooder.JoinAsync("flood", "flooder");
        var (accepted, refused) = (0, 0);
        var started = DateTime.UtcNow;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await flooder.SendAsync("flood", $"m{i}");
                accepted++;
            }
            catch (HubException e) when (e.Message.Contains("Rate limit"))
            {
                refused++;
            }
        }

        // The burst (20, Join included) plus 5 per second: the rest refused with a clear error, the connection stays.
        var allowed = 20 + (5 * (DateTime.UtcNow - started).TotalSeconds) + 1;
        Assert.True(accepted <= allowed, $"{accepted} calls accepted, at most {allowed:0} allowed");
        Assert.True(refused >= 200 - allowed, $"only {refused} refused");
        Assert.Equal(HubConnectionState.Connected, flooder.Connection.State);
        Assert.Contains("kind=\"rate_limit\"", await _server.CreateClient().GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Reconnecting_does_not_refill_the_message_budget_of_an_address()
    {
        // STOMP's own bucket is per connection; the address's bucket (30, then 5/s) is shared by every connection.
        var (accepted, refused) = (0, 0);
        var started = DateTime.UtcNow;
        for (var connection = 0; connection < 6; connection++)
        {
            await using var client = await StompTestClient.ConnectAsync(_server.BaseAddress);
            await client.SendJsonAsync("/app/room/loophole/chat.addUser", new { sender = $"spammer{connection}" }, "receipt:j\n");
            Assert.Equal("j", (await client.ReceiveAsync())["receipt-id"]);
            for (var i = 0; i < 20; i++)
            {
                await client.ChatAsync("loophole", $"c{connection} m{i}", $"receipt:m{i}\n");
                var answer = await client.ReceiveAsync();
                if (answer.Command == Chat.Stomp.StompCommand.Error)
                {
                    Assert.Contains("Rate limit", answer["message"]);
                    refused++;
                    break;
                }

                accepted++;
            }
        }

        var allowed = 30 + (5 * (DateTime.UtcNow - started).TotalSeconds) + 1;
        Assert.True(accepted <= allowed, $"{accepted} messages from one address, at most {allowed:0} allowed");
        Assert.True(refused > 0);
    }

    [Fact]
    public async Task One_connection_cannot_join_more_than_its_rooms()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.BaseAddress);
        for (var i = 0; i < 5; i++)
        {
            await client.JoinAsync($"many{i}", "collector");
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => client.JoinAsync("many5", "collector"));
        Assert.Contains("Too many rooms", refused.Message);
        await client.LeaveAsync("many0");
        await client.JoinAsync("many5", "collector"); // leaving frees a place
    }

    [Fact]
    public async Task History_per_call_is_bounded()
    {
        await using var talker = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var joined = await talker.JoinAsync("long", "talker");
        for (var i = 0; i < 15; i++)
        {
            await talker.SendAsync("long", $"m{i}");
            await Task.Delay(210); // under the 5/s of the address and the connection
        }

        await using var reader = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var since = await reader.Connection.InvokeAsync<JoinResult>("Join", "long", "reader", new RoomPosition(joined.Epoch, 0));
        Assert.Equal(10, since.History.Count); // the latest 10, not all 16
        Assert.Equal(since.Offset, since.History[^1].Offset);
        var foreign = await reader.ResumeAsync("long", "otherepoch", 0);
        Assert.True(foreign.Count <= 10);
    }

    [Fact]
    public async Task Connections_and_new_connections_per_address_are_bounded_and_others_still_connect()
    {
        var held = new List<IAsyncDisposable>();
        try
        {
            var refusals = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                try
                {
                    held.Add(await RawHubClient.ConnectAsync(_server.BaseAddress));
                }
                catch (HttpRequestException e)
                {
                    refusals.Add(e.Message);
                }
            }

            Assert.True(held.Count <= 6, $"{held.Count} connections from one address, at most 6 allowed");
            Assert.NotEmpty(refusals);
            Assert.Contains(refusals, r => r.Contains("429"));

            // Another address is another client.
            await using var bystander = Outsider.Hub(Outsider.Second, _server.BaseAddress);
            await bystander.StartAsync();
            await bystander.InvokeAsync<JoinResult>("Join", "elsewhere", "bystander");

            // Negotiates are rate-limited per address: a burst of 12, then 1 per second.
            using var http = Outsider.Http(IPAddress.Parse("127.0.0.3"), _server.BaseAddress);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await http.PostAsync("/hub/chat/negotiate?negotiateVersion=1", null);
                statuses.Add(response.StatusCode);
            }

            Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= 14, string.Join(",", statuses));
            Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
            Assert.Contains("kind=\"connection_limit\"", await _server.CreateClient().GetStringAsync("/metrics"));
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }
}
