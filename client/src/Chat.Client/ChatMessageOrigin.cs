namespace Chat.Client;

/// <summary>How a message reached the client, as reported by <see cref="ChatClient.MessageArrived"/>.</summary>
public enum ChatMessageOrigin
{
    /// <summary>Pushed by the server as it was published.</summary>
    Live,

    /// <summary>Part of a join's answer: the room's recent history, or what was missed since the last position.</summary>
    Recovered,
}
