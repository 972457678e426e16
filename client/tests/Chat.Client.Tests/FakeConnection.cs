using Chat.Client.Connections;
using Chat.Contracts;

namespace Chat.Client.Tests;

/// <summary>A scripted connection: the test decides what connecting does, what a join answers and when it ends.</summary>
internal sealed class FakeConnection(bool backlogInOrder = false) : IChatConnection
{
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Replica { get; set; } = "fake";

    public string? ConnectionId => null;

    public bool DeliversBacklogInOrder => backlogInOrder;

    public Task<ConnectionEnd> Ended => _ended.Task;

    public Func<Task> Connect { get; set; } = () => Task.CompletedTask;

    public Func<string, RoomPosition?, Task<JoinResult>> Join { get; set; } =
        (room, since) => Task.FromResult(new JoinResult(room, "fake", since?.Epoch ?? "e1", since?.Offset ?? 0, [], []));

    public List<RoomPosition?> Joins { get; } = [];

    public Task ConnectAsync(CancellationToken cancellationToken) => Connect();

    public Task<JoinResult> JoinAsync(string room, string user, RoomPosition? since, CancellationToken cancellationToken)
    {
        lock (Joins)
        {
            Joins.Add(since);
        }

        return Join(room, since);
    }

    public Task<long?> SendAsync(string room, string user, string content, CancellationToken cancellationToken) => Task.FromResult<long?>(1);

    public Task LeaveAsync(string room, CancellationToken cancellationToken) => Task.CompletedTask;

    public string? AccessToken => null;

    public Task RefreshTokenAsync(string token, CancellationToken cancellationToken) => Task.CompletedTask;

    public void End(bool moved, string reason) => _ended.TrySetResult(new ConnectionEnd(moved, reason, moved ? null : new IOException(reason)));

    public ValueTask DisposeAsync()
    {
        End(false, "closed by the client");
        return ValueTask.CompletedTask;
    }

    public static ChatMessage Message(long offset, string epoch = "e1", string room = "r") =>
        new(MessageType.CHAT, "s", $"m{offset}", room, offset, epoch, DateTimeOffset.UnixEpoch);
}

/// <summary>Hands out the scripted connections in turn.</summary>
internal sealed class FakeConnections(params FakeConnection[] connections) : IChatConnectionFactory
{
    private int _next;

    public IConnectionEvents? Events { get; private set; }

    public IChatConnection Create(ChatClientOptions options, Uri baseUrl, IConnectionEvents events)
    {
        Events = events;
        return connections[Math.Min(Interlocked.Increment(ref _next) - 1, connections.Length - 1)];
    }
}
