using Chat.Contracts;
using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>
/// The client's reconnection secret exists before its first connection, so whatever that connection joined is held
/// with it: a retry after an attempt whose answer never came still gets the name.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ReconnectSecretTests
{
    [Theory]
    [InlineData(ChatProtocol.SignalR)]
    [InlineData(ChatProtocol.Stomp)]
    public async Task The_secret_made_before_the_first_connection_is_the_one_the_server_holds_the_name_with(ChatProtocol protocol)
    {
        await using var servers = await ChatServers.StartAsync(replicas: 1, redis: false);
        var options = new ChatClientOptions { BaseUrl = servers.Entry, User = "dora", Protocol = protocol };
        await using var first = new ChatClient(options);
        var made = first.ReconnectSecret;
        Assert.Matches("^[A-Za-z0-9_-]{24}$", made);
        Assert.Null(options.ReconnectSecret); // the caller's options are not changed

        await first.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await first.JoinAsync("den").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(made, first.ReconnectSecret);

        // Another connection with the secret made before the first connected gets the name; one without it does not.
        await using var retry = await RecordingChatClient.StartAsync(servers.Entry, "dora", protocol, o => o.ReconnectSecret = made);
        await retry.JoinAsync("den");
        await using var other = await RecordingChatClient.StartAsync(servers.Entry, "dora", protocol);
        Assert.NotEqual(made, other.Client.ReconnectSecret);
        var taken = await Assert.ThrowsAsync<ChatServerException>(() => other.JoinAsync("den"));
        Assert.Contains("in use", taken.Reason);
    }
}
