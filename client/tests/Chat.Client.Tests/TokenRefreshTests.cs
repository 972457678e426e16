using System.Text;
using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>Jwt servers: the client presents a new token in band before each one expires and keeps its connection.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TokenRefreshTests
{
    [Theory]
    [InlineData(ChatProtocol.SignalR)]
    [InlineData(ChatProtocol.Stomp)]
    public async Task The_connection_outlives_the_first_token_without_reconnecting(ChatProtocol protocol)
    {
        // Dev tokens of 5 s, the shortest the server allows: a refresh every 2.5 s or so.
        await using var server = await ServiceProcess.StartAsync("chat-server", "Chat.Server", DevTokenServer.Settings(5));
        var tokens = new List<string>();
        await using var kim = await RecordingChatClient.StartAsync(server.BaseAddress, "kim", protocol, options => options.AccessTokenProvider = async cancellationToken =>
        {
            var token = await DevTokenServer.TokenAsync(server.BaseAddress, "kim");
            lock (tokens)
            {
                tokens.Add(token);
            }

            return token;
        });
        await kim.JoinAsync("lobby");
        var connection = kim.Client.ConnectionId;
        var firstExpiry = TokenRefresh.ExpiryOf(tokens[0])!.Value;

        Assert.True(
            await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > firstExpiry.AddSeconds(1) && Count(tokens) >= 3, TimeSpan.FromSeconds(60)),
            $"{Count(tokens)} tokens by {DateTimeOffset.UtcNow:O}, the first expiring at {firstExpiry:O}");
        await kim.SendAsync("lobby", "still here");
        Assert.True(await kim.WaitForAsync(c => c.Chats("lobby").Any(m => m.Content == "still here" && m.Sender == "kim")), "the message did not come back");

        Assert.Equal(connection, kim.Client.ConnectionId);
        Assert.Equal([ChatClientState.Connected], kim.States.SkipWhile(s => s.State != ChatClientState.Connected).Select(s => s.State).Distinct());
        Assert.Empty(kim.Errors);
    }

    [Fact]
    public void The_refresh_is_due_before_the_expiry_and_never_for_a_token_without_one()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
        Assert.Equal(TimeSpan.FromSeconds(675), TokenRefresh.DelayBefore(Jwt("{\"exp\":1000900}"), now)); // 3/4 of 15 min
        Assert.Equal(TimeSpan.FromSeconds(70), TokenRefresh.DelayBefore(Jwt("{\"exp\":1000100}"), now));  // 30 s before
        Assert.Equal(TimeSpan.FromSeconds(4), TokenRefresh.DelayBefore(Jwt("{\"exp\":1000008}"), now));   // half of 8 s
        Assert.Equal(TimeSpan.Zero, TokenRefresh.DelayBefore(Jwt("{\"exp\":999999}"), now));
        Assert.Null(TokenRefresh.DelayBefore(Jwt("{\"sub\":\"kim\"}"), now));
        Assert.Null(TokenRefresh.DelayBefore("opaque", now));
    }

    private static string Jwt(string payload) =>
        "e30." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

    private static int Count(List<string> tokens)
    {
        lock (tokens)
        {
            return tokens.Count;
        }
    }
}
