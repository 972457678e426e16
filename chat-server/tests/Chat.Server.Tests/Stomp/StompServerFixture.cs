using Chat.Contracts;
using Chat.Server.Tests.Support;

namespace Chat.Server.Tests.Stomp;

/// <summary>
/// One in-process chat server (real Kestrel) with small STOMP limits so that each can be hit quickly, and a
/// bystander client in room "bystander" that every hardening test checks is unaffected.
/// </summary>
public sealed class StompServerFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://allowed.example";
    public const string BystanderRoom = "bystander";
    private int _probe;

    public InProcessChatServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    internal StompTestClient Bystander { get; private set; } = null!;

    public static Dictionary<string, string?> Settings => new()
    {
        ["Chat:PresenceGraceSeconds"] = "0.2",
        ["Chat:OutgoingQueueLength"] = "16",
        ["Chat:Limits:AddressMessagesPerSecond"] = "2000", // the slow-consumer flood comes from many writers on one address
        ["Chat:Limits:AddressMessageBurst"] = "4000",
        ["Chat:Stomp:MaxFrameBytes"] = "4096",
        ["Chat:Stomp:MaxHeaders"] = "10",
        ["Chat:Stomp:MaxHeaderLineBytes"] = "1024",
        ["Chat:Stomp:MaxSubscriptions"] = "3",
        ["Chat:Stomp:MaxFramesPerSecond"] = "40",
        ["Chat:Stomp:FrameBurst"] = "60",
        ["Chat:Stomp:OutgoingQueueBytes"] = "65536",
        ["Chat:Stomp:HeartBeatSendMilliseconds"] = "200",
        ["Chat:Stomp:HeartBeatReceiveMilliseconds"] = "1000",
        ["Chat:Stomp:ConnectTimeoutMilliseconds"] = "3000",
        ["Chat:AllowedOrigins:0"] = AllowedOrigin,
    };

    public async Task InitializeAsync()
    {
        Server = new InProcessChatServer(Settings);
        Bystander = await StompTestClient.JoinAsync(BaseAddress, BystanderRoom, "bystander");
    }

    /// <summary>The bystander still sends and receives: a bad client hurt nothing else.</summary>
    internal async Task AssertBystanderUnaffectedAsync()
    {
        var content = $"still here {Interlocked.Increment(ref _probe)}";
        await Bystander.ChatAsync(BystanderRoom, content);
        var (_, message) = await Bystander.ReceiveMessageAsync(m => m.Type == MessageType.CHAT && m.Content == content);
        Assert.Equal("bystander", message.Sender);
    }

    public async Task DisposeAsync()
    {
        if (Bystander is not null)
        {
            await Bystander.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
