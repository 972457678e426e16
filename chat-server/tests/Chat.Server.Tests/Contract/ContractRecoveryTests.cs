using System.Net.WebSockets;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Contract;

/// <summary>
/// Clients written only against the documented contract (raw SignalR JSON, raw STOMP frames) are moved 50 times
/// between two replicas by the rebalancing hand-over while another client sends; resuming with `since` (SignalR
/// Join) or x-epoch/x-since-offset (STOMP SUBSCRIBE) they see every offset exactly once.
/// </summary>
public sealed class ContractRecoveryTests(TwoInProcessReplicas replicas) : IClassFixture<TwoInProcessReplicas>
{
    private const int Moves = 50;

    [Fact]
    public async Task A_raw_signalr_client_moved_50_times_sees_every_offset_exactly_once()
    {
        const string room = "contract-signalr";
        var ledger = new DeliveryLedger();
        void Record(System.Text.Json.Nodes.JsonNode m) => ledger.Record((string)m["epoch"]!, (long)m["offset"]!);

        var server = replicas.B;
        var client = await RawSignalRClient.ConnectAsync(server.BaseAddress, Record);
        var joined = await client.JoinAsync(room, "mover", null, 0);
        var secret = (string?)joined["reconnectSecret"];
        var start = (long)joined["offset"]! + 1;
        await using var sender = await SenderAsync(room);
        var sending = SendUntilAsync(sender, room);
        try
        {
            for (var move = 0; move < Moves; move++)
            {
                await Task.Delay(Random.Shared.Next(10, 60));
                var moving = replicas.MoveAsync(server, client.ConnectionId);
                Assert.Equal("rebalance", await client.Moved.WaitAsync(TimeSpan.FromSeconds(30)));
                await client.DisposeAsync();
                await moving;
                server = replicas.Other(server);
                client = await RawSignalRClient.ConnectAsync(server.BaseAddress, Record);
                await client.JoinAsync(room, "mover", ledger.Epoch, ledger.Last, secret);
            }
        }
        finally
        {
            sending.Stop();
        }

        await AssertEachOnceAsync(ledger, start, await sending.Completion);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_raw_stomp_client_moved_50_times_sees_every_offset_exactly_once()
    {
        const string room = "contract-stomp";
        var ledger = new DeliveryLedger();
        await using var sender = await SenderAsync(room);
        var first = await sender.InvokeAsync<long>("Send", room, "before");
        var server = replicas.A;
        var client = await RawStompClient.JoinAsync(server.BaseAddress, room, "mover", null, 0, (_, epoch, offset) => ledger.Record(epoch, offset));
        Assert.True(await Eventually.TrueAsync(() => ledger.HasAll(first, first), TimeSpan.FromSeconds(10)), "the history did not arrive");
        var start = first + 1;
        var sending = SendUntilAsync(sender, room);
        try
        {
            for (var move = 0; move < Moves; move++)
            {
                await Task.Delay(Random.Shared.Next(10, 60));
                await replicas.MoveAsync(server, client.SessionId);
                Assert.Equal((WebSocketCloseStatus)1012, await client.Closed.WaitAsync(TimeSpan.FromSeconds(30)));
                await client.DisposeAsync();
                server = replicas.Other(server);
                client = await RawStompClient.JoinAsync(server.BaseAddress, room, "mover", ledger.Epoch, ledger.Last, (_, epoch, offset) => ledger.Record(epoch, offset), client.ReconnectSecret);
            }
        }
        finally
        {
            sending.Stop();
        }

        await AssertEachOnceAsync(ledger, start, await sending.Completion);
        await client.DisposeAsync();
    }

    private static async Task AssertEachOnceAsync(DeliveryLedger ledger, long start, long last)
    {
        await Eventually.TrueAsync(() => ledger.HasAll(start, last), TimeSpan.FromSeconds(30));
        Assert.Empty(ledger.Problems(start, last));
    }

    private async Task<HubConnection> SenderAsync(string room)
    {
        var sender = new HubConnectionBuilder().WithUrl(new Uri(replicas.A.BaseAddress, "/hub/chat")).Build();
        await sender.StartAsync();
        await sender.InvokeAsync<object>("Join", room, "sender");
        return sender;
    }

    private static SendLoop SendUntilAsync(HubConnection sender, string room) => new(sender, room);

    /// <summary>Sends a message every few milliseconds until stopped (bounded to 5,000); completes with the last offset.</summary>
    private sealed class SendLoop
    {
        private readonly CancellationTokenSource _stop = new();

        public SendLoop(HubConnection sender, string room) => Completion = RunAsync(sender, room);

        public Task<long> Completion { get; }

        public void Stop() => _stop.Cancel();

        private async Task<long> RunAsync(HubConnection sender, string room)
        {
            var last = 0L;
            for (var i = 0; i < 5_000 && !_stop.IsCancellationRequested; i++)
            {
                last = await sender.InvokeAsync<long>("Send", room, $"m{i}");
                await Task.Delay(5);
            }

            return last;
        }
    }
}
