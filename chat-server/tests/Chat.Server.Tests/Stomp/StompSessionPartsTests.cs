using Chat.Contracts;
using Chat.Server.Stomp;

namespace Chat.Server.Tests.Stomp;

/// <summary>The session's small parts on their own: outbox bounds, rate limiter, destinations, options validation.</summary>
public class StompSessionPartsTests
{
    [Fact]
    public async Task Outbox_refuses_past_its_bounds_and_drops_its_queue_for_a_last_frame()
    {
        var sent = new List<byte[]>();
        var release = new TaskCompletionSource();
        var outbox = new StompOutbox(maxFrames: 3, maxBytes: 100, async (frame, _) =>
        {
            await release.Task; // a client that does not read
            sent.Add(frame.ToArray());
        });
        var writer = outbox.RunAsync(CancellationToken.None);
        Assert.True(outbox.TryEnqueue(new byte[10]));
        Assert.True(outbox.TryEnqueue(new byte[10]));
        Assert.True(outbox.TryEnqueue(new byte[10]));
        Assert.False(outbox.TryEnqueue(new byte[10])); // frame bound
        Assert.True(outbox.QueuedFrames <= 3);

        outbox.Complete([42], dropQueued: true);
        Assert.True(outbox.TryEnqueue(new byte[1000])); // ignored once complete, never queued
        release.SetResult();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([42], sent[^1]);
        Assert.True(sent.Count <= 2, "queued frames were not dropped"); // at most the one in flight, then the last frame
    }

    [Fact]
    public async Task Outbox_writes_at_once_when_idle_and_in_order_behind_a_slow_write()
    {
        var sent = new List<byte>();
        var slow = new TaskCompletionSource();
        var outbox = new StompOutbox(maxFrames: 100, maxBytes: 1000, async (frame, _) =>
        {
            if (frame.Span[0] == 2)
            {
                await slow.Task;
            }

            lock (sent)
            {
                sent.Add(frame.Span[0]);
            }
        });
        var done = outbox.RunAsync(CancellationToken.None);
        Assert.True(outbox.TryEnqueue([1]));
        Assert.Equal([1], sent); // written by the caller, no writer task in between
        Assert.True(outbox.TryEnqueue([2]));
        Assert.True(outbox.TryEnqueue([3]));
        Assert.True(outbox.TryEnqueue([4]));
        Assert.Equal(3, outbox.QueuedFrames);
        outbox.Complete([5], dropQueued: false);
        slow.SetResult();
        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3, 4, 5], sent);
        Assert.Equal(0, outbox.QueuedFrames);
    }

    [Fact]
    public async Task Outbox_fails_when_a_write_fails()
    {
        var outbox = new StompOutbox(maxFrames: 10, maxBytes: 1000, (_, _) => ValueTask.FromException(new IOException("reset")));
        var done = outbox.RunAsync(CancellationToken.None);
        Assert.True(outbox.TryEnqueue([1]));
        await Assert.ThrowsAsync<IOException>(() => done.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(outbox.TryEnqueue([2])); // ignored after the failure
    }

    [Fact]
    public void Outbox_byte_bound_counts_the_frame_in_flight()
    {
        var stalled = new TaskCompletionSource();
        var outbox = new StompOutbox(maxFrames: 100, maxBytes: 100, (_, _) => new ValueTask(stalled.Task)); // a client that does not read
        Assert.True(outbox.TryEnqueue(new byte[60])); // in flight, still counted
        Assert.False(outbox.TryEnqueue(new byte[60]));
    }

    [Fact]
    public void Rate_limiter_allows_the_burst_then_the_sustained_rate()
    {
        long now = 0;
        var limiter = new Chat.ServiceDefaults.Limits.TokenBucket(ratePerSecond: 10, burst: 5, () => now);
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => limiter.TryAcquire()));
        now += 1000;
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => limiter.TryAcquire())); // refilled to the burst, not beyond
        now += 100;
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
    }

    [Theory]
    [InlineData("/topic/public", StompDestinationKind.Topic, "public")]
    [InlineData("/topic/room/lobby", StompDestinationKind.Topic, "lobby")]
    [InlineData("/app/chat.addUser", StompDestinationKind.AddUser, "public")]
    [InlineData("/app/chat.sendMessage", StompDestinationKind.SendMessage, "public")]
    [InlineData("/app/room/lobby/chat.addUser", StompDestinationKind.AddUser, "lobby")]
    [InlineData("/app/room/lobby/chat.sendMessage", StompDestinationKind.SendMessage, "lobby")]
    public void Destinations_of_the_spring_demo_and_named_rooms(string destination, StompDestinationKind kind, string room)
    {
        Assert.True(StompDestination.TryParse(destination, out var parsed));
        Assert.Equal(new StompDestination(kind, room), parsed);
        if (kind == StompDestinationKind.Topic)
        {
            Assert.Equal(destination, StompDestination.TopicOf(room));
        }
    }

    [Theory]
    [InlineData("/queue/a")]
    [InlineData("/topic/room/")]
    [InlineData("/topic/room/a/b")]
    [InlineData("/app/room/lobby/chat.other")]
    [InlineData("/app/room//chat.addUser")]
    [InlineData("/app/chat.addUser/x")]
    public void Other_destinations_are_unknown(string destination) => Assert.False(StompDestination.TryParse(destination, out _));

    [Fact]
    public void Options_are_validated_with_clear_messages()
    {
        var validator = new Microsoft.Extensions.Options.DataAnnotationValidateOptions<StompOptions>(null);
        Assert.True(validator.Validate(null, new StompOptions()).Succeeded);
        var result = validator.Validate(null, new StompOptions
        {
            MaxFrameBytes = 0,
            MaxHeaderLineBytes = 10,
            HeartBeatTolerance = 0.5,
        });
        var origins = new Microsoft.Extensions.Options.DataAnnotationValidateOptions<Chat.Server.Hosting.ChatOptions>(null)
            .Validate(null, new Chat.Server.Hosting.ChatOptions { AllowedOrigins = ["https://ok.example", "not an origin", "https://x.example/path"] });
        Assert.True(result.Failed);
        Assert.Contains("Chat:Stomp:MaxFrameBytes must be positive", result.FailureMessage);
        Assert.Contains("Chat:Stomp:HeartBeatTolerance must be between 1 and 1000", result.FailureMessage);
        Assert.Contains("'not an origin'", origins.FailureMessage);
        Assert.Contains("'https://x.example/path'", origins.FailureMessage);
        Assert.DoesNotContain("'https://ok.example'", origins.FailureMessage);
    }

    [Theory]
    [InlineData(10_000, 10_000, 10_000, 1000)]  // the defaults: a check a second
    [InlineData(3000, 200, 1000, 50)]          // a quarter of the shortest server heart-beat (negotiation only lengthens it)
    [InlineData(400, 0, 0, 100)]               // heart-beats off: the CONNECT deadline alone
    [InlineData(40, 10, 10, 25)]
    public void One_clock_ticks_at_a_quarter_of_the_shortest_interval_it_checks(int connectTimeout, int send, int receive, int tickMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(tickMs), StompSessionClock.TickFor(new StompOptions
        {
            ConnectTimeoutMilliseconds = connectTimeout, HeartBeatSendMilliseconds = send, HeartBeatReceiveMilliseconds = receive,
        }));

    [Fact]
    public void Bad_options_stop_the_server_at_start_up()
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var server = new Support.InProcessChatServer(new Dictionary<string, string?> { ["Chat:Stomp:MaxFramesPerSecond"] = "0" });
        });
        Assert.Contains("MaxFramesPerSecond", error.ToString());
    }
}
