namespace Chat.ServiceDefaults.Drain;

/// <summary>
/// What a service does on SIGTERM before it stops (see <see cref="DrainingHostLifetime"/>): the chat server hands its
/// clients over, a proxy closes its proxied WebSockets. Runs once, however often it is asked.
/// </summary>
public interface IShutdownDrain
{
    Task DrainAsync();
}
