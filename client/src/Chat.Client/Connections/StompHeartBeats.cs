namespace Chat.Client.Connections;

/// <summary>
/// One timer for the heart-beats of every STOMP connection in the process (not one per connection): each second
/// it lets every registered connection send a heart-beat that is due and notice a server that went silent.
/// </summary>
internal static class StompHeartBeats
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly Lock Gate = new();
    private static readonly HashSet<StompChatConnection> Connections = [];
    private static Timer? _timer;

    public static void Register(StompChatConnection connection)
    {
        lock (Gate)
        {
            Connections.Add(connection);
            _timer ??= new Timer(_ => OnTick(), null, Tick, Tick);
        }
    }

    public static void Unregister(StompChatConnection connection)
    {
        lock (Gate)
        {
            Connections.Remove(connection);
        }
    }

    private static void OnTick()
    {
        StompChatConnection[] connections;
        lock (Gate)
        {
            connections = [.. Connections];
        }

        var now = Environment.TickCount64;
        foreach (var connection in connections)
        {
            connection.OnHeartBeatTick(now, (long)Tick.TotalMilliseconds);
        }
    }
}
