using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>STOMP heart-beats from the shared timer keep an idle connection open both ways.</summary>
[Collection(ProcessCollection.Name)]
public sealed class HeartBeatTests
{
    [Fact]
    public async Task An_idle_stomp_client_stays_connected_on_a_server_that_closes_silent_clients()
    {
        // The server wants a heart-beat every 2 s and closes a client silent for two intervals.
        await using var servers = await ChatServers.StartAsync(replicas: 1, redis: false, settings: new Dictionary<string, string?>
        {
            ["Chat:Stomp:HeartBeatSendMilliseconds"] = "2000",
            ["Chat:Stomp:HeartBeatReceiveMilliseconds"] = "2000",
        });
        await using var idle = await RecordingChatClient.StartAsync(servers.Entry, "idle", ChatProtocol.Stomp, o => o.StompHeartBeat = TimeSpan.FromSeconds(2));
        await idle.JoinAsync("quiet");

        await Task.Delay(TimeSpan.FromSeconds(9));

        Assert.Equal(ChatClientState.Connected, idle.Client.State);
        Assert.Equal(0, idle.Reconnects);
        Assert.Empty(idle.Errors);
        Assert.Contains("heartbeat", (await servers.Replicas[0].GetAsync("/metrics")).Body);
    }
}
