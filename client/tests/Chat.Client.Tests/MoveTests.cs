using Chat.Contracts;
using Chat.Testing;
using Xunit.Abstractions;

namespace Chat.Client.Tests;

/// <summary>Clients moved by the server (a replica drained on SIGTERM) while a sender keeps sending.</summary>
[Collection(ProcessCollection.Name)]
public sealed class MoveTests(ITestOutputHelper output)
{
    private const string Room = "moving";

    [Fact]
    public async Task Clients_of_a_drained_replica_move_through_the_gateway_and_get_every_offset_once_in_order()
    {
        await using var servers = await ChatServers.StartAsync(replicas: 2, redis: true, gateway: true);
        var receivers = new List<RecordingChatClient>();
        var joined = new Dictionary<RecordingChatClient, JoinResult>();
        await using var sender = await RecordingChatClient.StartAsync(servers.Entry, "sender");
        try
        {
            await sender.JoinAsync(Room);
            for (var i = 0; i < 20; i++)
            {
                var client = await RecordingChatClient.StartAsync(servers.Entry, $"u{i}", i % 2 == 0 ? ChatProtocol.SignalR : ChatProtocol.Stomp);
                receivers.Add(client);
                joined[client] = await client.JoinAsync(Room);
            }

            var onR1 = receivers.Where(r => r.Replica == "r1").ToArray();
            output.WriteLine($"{onR1.Length} of {receivers.Count} receivers on r1");
            Assert.NotEmpty(onR1);

            using var stop = new CancellationTokenSource();
            var sent = 0;
            var sending = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await sender.SendAsync(Room, $"m{sent}");
                        sent++;
                    }
                    catch (ChatClientException)
                    {
                        // Being moved itself: sent again once it is back.
                    }

                    await Task.Delay(40);
                }
            });

            await Task.Delay(500);
            servers.Replicas[0].Terminate();
            Assert.True(await servers.Replicas[0].Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "r1 did not drain and exit" + servers.Logs());
            Assert.True(await Eventually.TrueAsync(() => receivers.All(r => r is { Connected: true, Replica: "r2" }), TimeSpan.FromSeconds(20)),
                "not every receiver is back on r2: " + string.Join(", ", receivers.Select(r => $"{r.User}={r.Client.State}/{r.Replica}")));
            await Task.Delay(500);
            await stop.CancelAsync();
            await sending;

            long last = 0;
            Assert.True(await Eventually.TrueAsync(async () => (last = (await sender.SendAsync(Room, "last"))!.Value) > 0, TimeSpan.FromSeconds(20)));
            output.WriteLine($"{sent} messages sent; moves: {receivers.Sum(r => r.Moves)}; last offset {last}");
            Assert.True(sent > 20, $"only {sent} sent");
            var problems = new List<string>();
            foreach (var receiver in receivers)
            {
                if (!await receiver.WaitForAsync(r => r.HasSeen(Room, last), 20))
                {
                    problems.Add($"{receiver.User} did not get offset {last}");
                }

                problems.AddRange(receiver.SequenceProblems(Room, joined[receiver].Epoch, joined[receiver].Offset, last));
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
            Assert.All(onR1, r => Assert.True(r.Moves >= 1, $"{r.User} was not moved"));
            Assert.All(onR1, r => Assert.Contains(r.States, s => s is { State: ChatClientState.Connected, Replica: "r2" }));
            Assert.All(receivers, r => Assert.DoesNotContain(r.Errors, e => e.Kind == ChatErrorKind.Recovery));
        }
        finally
        {
            await Task.WhenAll(receivers.Select(r => r.DisposeAsync().AsTask()));
        }
    }
}
