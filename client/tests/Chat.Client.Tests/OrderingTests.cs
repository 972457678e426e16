using Chat.Client.Connections;
using Chat.Contracts;
using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>The per-room rules, against scripted connections: once each, in offset order, whatever the arrival order.</summary>
public sealed class OrderingTests
{
    private static readonly ChatClientOptions Options = new() { BaseUrl = new("http://127.0.0.1:1/"), User = "u" };

    [Fact]
    public void Live_events_before_the_join_result_wait_for_its_history_and_overlaps_are_dropped()
    {
        var stream = new RoomStream("r");
        var handed = new List<long>();
        stream.BeginJoin(new FakeConnection(backlogInOrder: false));
        Assert.True(stream.Offer(FakeConnection.Message(11), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        Assert.True(stream.Offer(FakeConnection.Message(12), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        Assert.Empty(handed);

        var result = new JoinResult("r", "x", "e1", 11, [FakeConnection.Message(9), FakeConnection.Message(10), FakeConnection.Message(11)], []);
        Assert.True(stream.CompleteJoin(result, m => handed.Add(m.Offset), out var notRetained));

        Assert.Equal([9L, 10, 11, 12], handed);
        Assert.False(notRetained);
        Assert.Equal(1, stream.Duplicates);
        Assert.True(stream.Offer(FakeConnection.Message(12), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        Assert.Equal(new RoomPosition("e1", 12), stream.Position);
    }

    [Fact]
    public void A_gap_holds_what_follows_until_the_recovery_fills_it()
    {
        var stream = new RoomStream("r");
        var handed = new List<long>();
        var connection = new FakeConnection(backlogInOrder: false);
        stream.BeginJoin(connection);
        stream.CompleteJoin(new JoinResult("r", "x", "e1", 5, [], []), m => handed.Add(m.Offset), out _);

        Assert.True(stream.Offer(FakeConnection.Message(6), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        Assert.False(stream.Offer(FakeConnection.Message(8), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        Assert.Equal(new RoomPosition("e1", 6), stream.Position);
        stream.BeginJoin(connection);
        Assert.True(stream.Offer(FakeConnection.Message(9), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        stream.CompleteJoin(new JoinResult("r", "x", "e1", 8, [FakeConnection.Message(7), FakeConnection.Message(8)], []), m => handed.Add(m.Offset), out _);

        Assert.Equal([6L, 7, 8, 9], handed);
    }

    [Fact]
    public void A_gap_seen_while_an_in_order_recovery_is_under_way_is_recovered_after_it()
    {
        var stream = new RoomStream("r");
        var handed = new List<long>();
        var connection = new FakeConnection(backlogInOrder: true);
        stream.BeginJoin(connection);
        stream.CompleteJoin(new JoinResult("r", "x", "e1", 2, [], []), _ => { }, out _);
        Assert.True(stream.Offer(FakeConnection.Message(3), MessageOrigin.Live, m => handed.Add(m.Offset), out _));

        // 4 lost: 5 shows the gap, and the recovery brings back 4 and 5; 7 (6 lost too) arrives before the join's answer.
        Assert.False(stream.Offer(FakeConnection.Message(5), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        stream.BeginJoin(connection);
        Assert.True(stream.Offer(FakeConnection.Message(4), MessageOrigin.Backlog, m => handed.Add(m.Offset), out _));
        Assert.True(stream.Offer(FakeConnection.Message(5), MessageOrigin.Backlog, m => handed.Add(m.Offset), out _));
        Assert.False(stream.Offer(FakeConnection.Message(7), MessageOrigin.Live, m => handed.Add(m.Offset), out _));
        Assert.False(stream.CompleteJoin(new JoinResult("r", "x", "", 0, [], []), _ => { }, out _));

        // Recovered again from 5.
        Assert.Equal(new RoomPosition("e1", 5), stream.Position);
        stream.BeginJoin(connection);
        Assert.True(stream.Offer(FakeConnection.Message(6), MessageOrigin.Backlog, m => handed.Add(m.Offset), out _));
        Assert.True(stream.Offer(FakeConnection.Message(7), MessageOrigin.Backlog, m => handed.Add(m.Offset), out _));
        Assert.True(stream.CompleteJoin(new JoinResult("r", "x", "", 0, [], []), _ => { }, out _));
        Assert.Equal([3L, 4, 5, 6, 7], handed);
    }

    [Fact]
    public void A_new_epoch_goes_on_from_its_first_offset_and_otherwise_is_recovered()
    {
        var stream = new RoomStream("r");
        var handed = new List<string>();
        stream.BeginJoin(new FakeConnection(backlogInOrder: true));
        Assert.True(stream.Offer(FakeConnection.Message(3), MessageOrigin.Backlog, m => handed.Add($"{m.Epoch}:{m.Offset}"), out _));
        stream.CompleteJoin(new JoinResult("r", "x", "e1", 3, [], []), _ => { }, out _);

        Assert.True(stream.Offer(FakeConnection.Message(1, "e2"), MessageOrigin.Live, m => handed.Add($"{m.Epoch}:{m.Offset}"), out _));
        Assert.False(stream.Offer(FakeConnection.Message(5, "e3"), MessageOrigin.Live, m => handed.Add($"{m.Epoch}:{m.Offset}"), out _));
        // The recovery's first message sets where the new epoch goes on, even when its start is no longer retained.
        stream.BeginJoin(new FakeConnection(backlogInOrder: true));
        Assert.True(stream.Offer(FakeConnection.Message(4, "e3"), MessageOrigin.Backlog, m => handed.Add($"{m.Epoch}:{m.Offset}"), out _));
        Assert.True(stream.Offer(FakeConnection.Message(5, "e3"), MessageOrigin.Backlog, m => handed.Add($"{m.Epoch}:{m.Offset}"), out _));

        Assert.Equal(["e1:3", "e2:1", "e3:4", "e3:5"], handed);
    }

    [Fact]
    public async Task A_move_before_the_session_began_is_a_move_and_a_reconnect_not_an_error()
    {
        var movedEarly = new FakeConnection();
        movedEarly.Connect = () =>
        {
            movedEarly.End(moved: true, "rebalance");
            return new TaskCompletionSource().Task; // never connects: the move comes first
        };
        var good = new FakeConnection { Replica = "r2" };
        await using var client = new ChatClient(Options, new FakeConnections(movedEarly, good));
        var states = new List<ChatStateChange>();
        var errors = new List<ChatError>();
        client.StateChanged += s => { lock (states) { states.Add(s); } };
        client.Error += e => { lock (errors) { errors.Add(e); } };

        await client.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("r2", client.Replica);
        lock (states)
        {
            Assert.Equal([ChatClientState.Connecting, ChatClientState.Moved, ChatClientState.Connected], states.Select(s => s.State));
            Assert.Equal("rebalance", states[1].Reason);
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Every_new_connection_joins_each_room_from_its_last_position()
    {
        var first = new FakeConnection();
        var second = new FakeConnection();
        var connections = new FakeConnections(first, second);
        await using var client = new ChatClient(Options, connections);
        var handed = new List<long>();
        client.MessageReceived += m => { lock (handed) { handed.Add(m.Offset); } };
        await client.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await client.JoinAsync("r").WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var offset in new long[] { 1, 2, 2, 3 })
        {
            connections.Events!.OnMessage(first, FakeConnection.Message(offset), MessageOrigin.Live);
        }

        first.End(moved: true, "drain");
        Assert.True(await Eventually.TrueAsync(() => second.Joins.Count == 1, TimeSpan.FromSeconds(10)));
        connections.Events!.OnMessage(first, FakeConnection.Message(4), MessageOrigin.Live); // a late one of the old connection
        connections.Events!.OnMessage(second, FakeConnection.Message(4), MessageOrigin.Live);

        Assert.Equal([null], first.Joins);
        Assert.Equal([new RoomPosition("e1", 3)], second.Joins);
        lock (handed)
        {
            Assert.Equal([1L, 2, 3, 4], handed);
        }
    }

    [Theory]
    [InlineData(3, true, 0.1, 0)]   // asked to move: reconnect at once
    [InlineData(3, false, 6.0, 0)]  // a session that lasted: a fresh start
    [InlineData(0, false, 0.1, 1)]  // ended by the server at once: back off
    [InlineData(4, false, 0.1, 5)]
    public void A_session_the_server_ends_at_once_counts_as_a_failure(int before, bool moved, double seconds, int after) =>
        Assert.Equal(after, ReconnectBackoff.FailuresAfterSession(before, moved, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Repeated_failures_wait_longer_up_to_the_maximum_with_jitter()
    {
        var (min, max) = (TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.True(ReconnectBackoff.Delay(0, min, max) < TimeSpan.FromMilliseconds(250));
        Assert.True(ReconnectBackoff.Delay(1, min, max) >= TimeSpan.FromMilliseconds(250));
        Assert.True(ReconnectBackoff.Delay(3, min, max) >= TimeSpan.FromSeconds(1));
        Assert.InRange(ReconnectBackoff.Delay(50, min, max), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.2));
    }
}
