using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Backplane.Redis;

namespace Chat.Server.Tests.InProcess;

/// <summary>A replica's tail of a room answers a read only where a stream read would answer the same.</summary>
public sealed class RecentMessagesTests
{
    [Fact]
    public void A_room_held_from_its_start_answers_a_join_with_all_it_has()
    {
        var recent = new RecentMessages(capacity: 5);
        recent.Reset(new RoomBacklog("r", new RoomPosition("e", 0), [], EpochChanged: false));
        recent.Add(Message("e", 1));
        recent.Add(Message("e", 2));

        Assert.True(recent.TryRead(null, 50, out var messages));
        Assert.Equal([1L, 2], messages.Select(m => m.Offset));
        Assert.Equal(new RoomPosition("e", 2), recent.End);
    }

    [Fact]
    public void Once_older_messages_fell_out_a_join_wanting_more_than_is_held_goes_to_the_stream()
    {
        var recent = new RecentMessages(capacity: 3);
        recent.Reset(new RoomPosition("e", 0));
        for (var i = 1; i <= 5; i++)
        {
            recent.Add(Message("e", i));
        }

        Assert.False(recent.TryRead(null, 4, out _));
        Assert.True(recent.TryRead(null, 2, out var latest));
        Assert.Equal([4L, 5], latest.Select(m => m.Offset));
    }

    [Fact]
    public void A_resume_is_answered_from_the_tail_only_within_it_and_in_its_epoch()
    {
        var recent = new RecentMessages(capacity: 3);
        recent.Reset(new RoomPosition("e", 10));
        for (var i = 11; i <= 14; i++)
        {
            recent.Add(Message("e", i)); // holds 12..14
        }

        Assert.True(recent.TryRead(new RoomPosition("e", 11), 100, out var gap));
        Assert.Equal([12L, 13, 14], gap.Select(m => m.Offset));
        Assert.True(recent.TryRead(new RoomPosition("e", 12), 1, out var limited));
        Assert.Equal([14L], limited.Select(m => m.Offset));
        Assert.True(recent.TryRead(new RoomPosition("e", 14), 100, out var none));
        Assert.Empty(none);

        Assert.False(recent.TryRead(new RoomPosition("e", 10), 100, out _)); // 11 is not held
        Assert.False(recent.TryRead(new RoomPosition("e", 15), 100, out _)); // the client is ahead of this replica
        Assert.False(recent.TryRead(new RoomPosition("other", 12), 100, out _));
    }

    [Fact]
    public void A_message_that_does_not_follow_starts_the_tail_again()
    {
        var recent = new RecentMessages(capacity: 5);
        recent.Reset(new RoomPosition("e", 0));
        recent.Add(Message("e", 1));
        recent.Add(Message("e", 3));

        Assert.False(recent.TryRead(null, 2, out _));
        Assert.False(recent.TryRead(new RoomPosition("e", 1), 10, out _));
        Assert.True(recent.TryRead(new RoomPosition("e", 2), 10, out var after));
        Assert.Equal([3L], after.Select(m => m.Offset));

        recent.Add(Message("f", 1)); // a new epoch from its start
        Assert.True(recent.TryRead(null, 10, out var fresh));
        Assert.Equal([("f", 1L)], fresh.Select(m => (m.Epoch, m.Offset)));
    }

    private static ChatMessage Message(string epoch, long offset) =>
        new(MessageType.CHAT, "a", offset.ToString(), "r", offset, epoch, DateTimeOffset.UnixEpoch);
}
