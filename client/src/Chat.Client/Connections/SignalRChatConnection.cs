using System.Net.WebSockets;
using Chat.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Client.Connections;

/// <summary>
/// One SignalR connection to <c>/hub/chat</c>: <c>Join(room, user, since)</c>, <c>Send</c>, <c>Leave</c>, the
/// <c>message</c> and <c>presence</c> events, and <c>reconnect</c> as the end of the connection (moved).
/// Its WebSockets and HTTP requests go through the shared handlers (local address, Host header).
/// </summary>
internal sealed class SignalRChatConnection : IChatConnection
{
    private readonly ChatClientOptions _options;
    private readonly HubConnection _hub;
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _replica;
    private volatile string? _moveReason;
    private int _disposed;

    public SignalRChatConnection(ChatClientOptions options, Uri baseUrl, IConnectionEvents events)
    {
        _options = options;
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, ChatHubProtocol.Path.TrimStart('/')), http =>
            {
                http.Transports = options.SignalRTransports;
                http.SkipNegotiation = options.SignalRTransports == HttpTransportType.WebSockets && !options.SignalRNegotiate;
                if (options.HostHeader is { } host)
                {
                    http.Headers["Host"] = host;
                }

                if (options.AccessTokenProvider is { } token)
                {
                    http.AccessTokenProvider = async () => AccessToken = await token(CancellationToken.None);
                }

                http.HttpMessageHandlerFactory = _ => ChatHttp.HandlerFor(options.LocalAddress, replica => _replica = replica);
                http.WebSocketFactory = OpenWebSocketAsync;
            })
            .Build();
        _hub.On<ChatMessage>(ChatHubProtocol.MessageEvent, message => events.OnMessage(this, message, MessageOrigin.Live));
        _hub.On<PresenceUpdate>(ChatHubProtocol.PresenceEvent, update => events.OnPresence(this, update));
        _hub.On<ReconnectRequest>(ChatHubProtocol.ReconnectEvent, request =>
        {
            _moveReason = string.IsNullOrEmpty(request?.Reason) ? "moved by the server" : request.Reason;
            _ended.TrySetResult(new ConnectionEnd(Moved: true, _moveReason, null));
        });
        _hub.Closed += error =>
        {
            _ended.TrySetResult(_moveReason is { } reason
                ? new ConnectionEnd(true, reason, null)
                : new ConnectionEnd(false, error?.Message ?? "closed by the server", error ?? new ChatClientException("The server closed the connection.")));
            return Task.CompletedTask;
        };
    }

    public string? Replica => _replica;

    public string? ConnectionId => _hub.ConnectionId;

    public bool DeliversBacklogInOrder => false;

    public Task<ConnectionEnd> Ended => _ended.Task;

    public Task ConnectAsync(CancellationToken cancellationToken) => _hub.StartAsync(cancellationToken);

    public async Task<JoinResult> JoinAsync(string room, string user, RoomPosition? since, CancellationToken cancellationToken)
    {
        var result = await InvokeAsync<JoinResult>(ChatHubProtocol.Join, [room, user, since, _options.ReconnectSecret], cancellationToken);
        _replica = result.Replica;
        if (result.ReconnectSecret is { } secret)
        {
            _options.ReconnectSecret = secret; // the client's own options: presented on the next connection
        }

        return result;
    }

    public async Task<long?> SendAsync(string room, string user, string content, CancellationToken cancellationToken) =>
        await InvokeAsync<long>(ChatHubProtocol.Send, [room, content], cancellationToken);

    public Task LeaveAsync(string room, CancellationToken cancellationToken) =>
        InvokeAsync<object?>(ChatHubProtocol.Leave, [room], cancellationToken);

    public string? AccessToken { get; private set; }

    public async Task RefreshTokenAsync(string token, CancellationToken cancellationToken)
    {
        await InvokeAsync<object?>(ChatHubProtocol.RefreshToken, [token], cancellationToken);
        AccessToken = token;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ended.TrySetResult(new ConnectionEnd(false, "closed by the client", null));
        await _hub.DisposeAsync();
    }

    /// <summary>An invocation whose refusal becomes a <see cref="ChatServerException"/> with the server's own words.</summary>
    private async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await _hub.InvokeCoreAsync<T>(method, arguments, cancellationToken);
        }
        catch (HubException error)
        {
            throw new ChatServerException(ServerReason(error.Message), error);
        }
    }

    /// <summary>"An unexpected error occurred invoking 'Send' on the server. HubException: reason" → "reason".</summary>
    internal static string ServerReason(string message)
    {
        const string Marker = "HubException: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + Marker.Length)..] : message;
    }

    private async ValueTask<WebSocket> OpenWebSocketAsync(WebSocketConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = ChatHttp.CreateWebSocket(_options);
        foreach (var (name, value) in context.Options.Headers)
        {
            if (!string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                socket.Options.SetRequestHeader(name, value);
            }
        }

        // A custom WebSocket factory gets no token from SignalR: it adds the one for this attempt itself.
        if (context.Options.AccessTokenProvider is { } tokenProvider && await tokenProvider() is { Length: > 0 } token)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        try
        {
            await ChatHttp.ConnectAsync(socket, context.Uri, _options, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _replica = ChatHttp.TakeReplica(socket) ?? _replica;
        return socket;
    }
}
