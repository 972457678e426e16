using Chat.Client;

namespace Chat.LoadTest.Clients;

/// <summary>Who a load client is: its number, user name, the one room it joins, and its protocol.</summary>
public sealed record ClientIdentity(int Index, string User, string Room, ClientProtocol Protocol)
{
    /// <summary>Drop the n-th chat message handed to the application, to prove that gaps are detected (tests only).</summary>
    public long? DropPushedMessage { get; init; }

    /// <summary>The local address its connections are made from (null: the system picks).</summary>
    public System.Net.IPAddress? SourceAddress { get; init; }

    public ChatProtocol ChatProtocol => Protocol == ClientProtocol.Stomp ? ChatProtocol.Stomp : ChatProtocol.SignalR;
}

public enum ClientProtocol
{
    SignalR,
    Stomp,
}
