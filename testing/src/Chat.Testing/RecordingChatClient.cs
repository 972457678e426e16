using System.Diagnostics;
using Chat.Client;
using Chat.Contracts;

namespace Chat.Testing;

/// <summary>
/// A <see cref="ChatClient"/> for tests that records what it handed over (<see cref="Messages"/>), everything that
/// arrived from the server before de-duplication (<see cref="Arrivals"/>, to prove the server sends no duplicates),
/// its states, errors and presence updates.
/// </summary>
public sealed class RecordingChatClient : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ChatMessage> _messages = [];
    private readonly List<(ChatMessage Message, ChatMessageOrigin Origin)> _arrivals = [];
    private readonly List<ChatStateChange> _states = [];
    private readonly List<ChatError> _errors = [];
    private readonly List<PresenceUpdate> _presence = [];
    private long _downSince;
    private long _downTicks;

    public RecordingChatClient(ChatClientOptions options)
    {
        Client = new ChatClient(options);
        Client.MessageReceived += m => Add(_messages, m);
        Client.MessageArrived += (m, origin) => Add(_arrivals, (m, origin));
        Client.StateChanged += OnStateChanged;
        Client.Error += e => Add(_errors, e);
        Client.PresenceChanged += p => Add(_presence, p);
    }

    public ChatClient Client { get; }

    public string User => Client.User;

    public string? Replica => Client.Replica;

    public bool Connected => Client.State == ChatClientState.Connected;

    /// <summary>Starts a client of <paramref name="server"/> as <paramref name="user"/> and waits for its first connection.</summary>
    public static async Task<RecordingChatClient> StartAsync(Uri server, string user, ChatProtocol protocol = ChatProtocol.SignalR,
        Action<ChatClientOptions>? configure = null, TimeSpan? timeout = null)
    {
        var options = new ChatClientOptions { BaseUrl = server, User = user, Protocol = protocol };
        configure?.Invoke(options);
        var client = new RecordingChatClient(options);
        try
        {
            await client.Client.StartAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public Task<JoinResult> JoinAsync(string room) => Client.JoinAsync(room).WaitAsync(TimeSpan.FromSeconds(30));

    public Task<long?> SendAsync(string room, string content) => Client.SendAsync(room, content);

    public Task LeaveAsync(string room) => Client.LeaveAsync(room);

    /// <summary>What the client handed over for the room: once each, in order.</summary>
    public IReadOnlyList<ChatMessage> Messages(string room) => Snapshot(_messages, m => m.Room == room);

    public IReadOnlyList<ChatMessage> Chats(string room) => Snapshot(_messages, m => m.Room == room && m.Type == MessageType.CHAT);

    /// <summary>Every message of the room as it arrived, duplicates included.</summary>
    public IReadOnlyList<(ChatMessage Message, ChatMessageOrigin Origin)> Arrivals(string room) => Snapshot(_arrivals, a => a.Message.Room == room);

    public IReadOnlyList<ChatStateChange> States => Snapshot(_states, _ => true);

    public IReadOnlyList<ChatError> Errors => Snapshot(_errors, _ => true);

    public IReadOnlyList<PresenceUpdate> Presence => Snapshot(_presence, _ => true);

    /// <summary>How often the server moved this client (its `reconnect` event or a close 1012).</summary>
    public int Moves => States.Count(s => s.State == ChatClientState.Moved);

    /// <summary>Every connection that ended and was made again (moves, drops and failed attempts).</summary>
    public int Reconnects => States.Count(s => s.State is ChatClientState.Moved or ChatClientState.Reconnecting);

    /// <summary>Time spent between connections: from each move or loss until connected again.</summary>
    public TimeSpan ReconnectTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _downTicks));

    public bool HasSeen(string room, long offset) => Messages(room).Any(m => m.Offset == offset);

    public Task<bool> WaitForAsync(Func<RecordingChatClient, bool> condition, int seconds = 10) =>
        Eventually.TrueAsync(() => condition(this), TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(25));

    /// <summary>
    /// What is wrong with the room's sequence in one epoch after <paramref name="after"/> up to <paramref name="upTo"/>:
    /// offsets handed over other than once or out of order, and offsets the server pushed more than once. Empty: none.
    /// </summary>
    public IReadOnlyList<string> SequenceProblems(string room, string epoch, long after, long upTo)
    {
        var problems = new List<string>();
        var handed = Messages(room).Where(m => m.Epoch == epoch && m.Offset > after && m.Offset <= upTo).Select(m => m.Offset).ToArray();
        var expected = Enumerable.Range(1, (int)(upTo - after)).Select(i => after + i).ToArray();
        if (!handed.SequenceEqual(expected))
        {
            var missing = expected.Except(handed).Take(5).ToArray();
            problems.Add($"{User}: handed over {handed.Length} of {expected.Length} offsets after {after} up to {upTo}"
                + (missing.Length > 0 ? $", missing {string.Join(",", missing)}" : ", out of order or twice"));
        }

        var pushedTwice = Arrivals(room).Where(a => a.Origin == ChatMessageOrigin.Live && a.Message.Epoch == epoch && a.Message.Offset > after)
            .GroupBy(a => a.Message.Offset).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToArray();
        if (pushedTwice.Length > 0)
        {
            problems.Add($"{User}: the server pushed offsets {string.Join(",", pushedTwice)} more than once");
        }

        return problems;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private void OnStateChanged(ChatStateChange change)
    {
        Add(_states, change);
        var now = Stopwatch.GetTimestamp();
        if (change.State is ChatClientState.Moved or ChatClientState.Reconnecting && _downSince == 0)
        {
            _downSince = now;
        }
        else if (change.State == ChatClientState.Connected && _downSince != 0)
        {
            Interlocked.Add(ref _downTicks, now - _downSince);
            _downSince = 0;
        }
    }

    private void Add<T>(List<T> list, T item)
    {
        lock (_lock)
        {
            list.Add(item);
        }
    }

    private T[] Snapshot<T>(List<T> list, Func<T, bool> filter)
    {
        lock (_lock)
        {
            return [.. list.Where(filter)];
        }
    }
}
