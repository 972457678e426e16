using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Rooms;
using Chat.ServiceDefaults.Limits;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>
/// What each client frame of one STOMP session does, against the session's <see cref="IChatSession"/>. Frames run one
/// at a time, in order. Every refusal is a <see cref="StompSessionException"/> (one ERROR, then close).
/// Live messages are for members: a SUBSCRIBE to a room the connection has not joined waits until it does
/// (the Spring demo subscribes, then sends chat.addUser), and its backlog follows the JOIN.
/// </summary>
internal sealed class StompFrameHandler(StompSession session, IChatSession chat, StompTokens? tokens, StompOptions options) : IAsyncDisposable
{
    private readonly Dictionary<string, StompSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StompFrame>> _transactions = new(StringComparer.Ordinal);
    private readonly TokenBucket _rateLimiter = new(options.MaxFramesPerSecond, options.FrameBurst);

    public async Task RunAsync(StompFrame frame)
    {
        var receipt = frame.Command is StompCommand.Connect or StompCommand.Stomp ? null : frame[StompHeaders.Receipt];
        try
        {
            await RunCommandAsync(frame);
        }
        catch (StompSessionException e)
        {
            throw e.WithReceipt(receipt);
        }
        catch (StompProtocolException e)
        {
            throw new StompSessionException(StompError.Of(e.Fault), e.Message, receipt);
        }
        catch (ChatException e)
        {
            var message = e is BrokerUnavailableException ? "The chat is temporarily unavailable: " + e.Message : e.Message;
            throw new StompSessionException(StompError.Of(e), message, receipt);
        }

        if (receipt is not null)
        {
            session.Send(StompServerFrames.Receipt(receipt, session.Escaped));
        }

        if (frame.Command == StompCommand.Disconnect)
        {
            session.Disconnect();
        }
    }

    /// <summary>The connection ended: ends the subscriptions and the chat session (LEAVE after the grace period).</summary>
    public async ValueTask DisposeAsync()
    {
        _subscriptions.Clear();
        _transactions.Clear();
        await chat.DisposeAsync();
    }

    private async Task RunCommandAsync(StompFrame frame)
    {
        if (!_rateLimiter.TryAcquire())
        {
            throw new StompSessionException(StompError.RateLimit, $"Rate limit exceeded: at most {options.MaxFramesPerSecond} frames per second (burst {options.FrameBurst})");
        }

        if (!frame.Body.IsEmpty && !StompCommands.MayHaveBody(frame.Command))
        {
            throw new StompSessionException(StompError.Malformed, $"{StompCommands.Name(frame.Command)} frames must not have a body");
        }

        if (session.Version is null && frame.Command is not (StompCommand.Connect or StompCommand.Stomp))
        {
            throw new StompSessionException(StompError.NotConnected, $"Not connected: send CONNECT before {StompCommands.Name(frame.Command)}");
        }

        switch (frame.Command)
        {
            case StompCommand.Connect or StompCommand.Stomp: await ConnectAsync(frame); break;
            case StompCommand.Send: await SendAsync(frame); break;
            case StompCommand.Subscribe: await SubscribeAsync(frame); break;
            case StompCommand.Unsubscribe: await UnsubscribeAsync(frame); break;
            case StompCommand.Ack or StompCommand.Nack: Acknowledge(frame); break;
            case StompCommand.Begin: Begin(frame); break;
            case StompCommand.Commit: await CommitAsync(frame); break;
            case StompCommand.Abort: Abort(frame); break;
            case StompCommand.Disconnect: break;
            default: throw new StompSessionException(StompError.Malformed, $"{StompCommands.Name(frame.Command)} is a server frame; a client may not send it");
        }
    }

    /// <summary>
    /// CONNECT: Jwt mode authenticates here (Authorization: Bearer or passcode, else the upgrade's Authorization);
    /// anonymous mode takes the reconnection secret presented (x-reconnect-secret) or makes one, sent in CONNECTED.
    /// </summary>
    private async Task ConnectAsync(StompFrame frame)
    {
        if (session.Version is not null)
        {
            throw new StompSessionException(StompError.Malformed, "Already connected: CONNECT may be sent once");
        }

        var version = StompVersion.Negotiate(frame[StompHeaders.AcceptVersion]);
        var clientHeartBeat = StompHeartBeat.Parse(frame[StompHeaders.HeartBeat]);
        var secret = tokens is null ? chat.PrepareReconnectSecret(frame[ChatStompProtocol.ReconnectSecret]) : null;
        if (tokens is not null)
        {
            await AuthenticateAsync(tokens.Of(frame) ?? tokens.Upgrade);
        }

        var offer = new StompHeartBeat(TimeSpan.FromMilliseconds(options.HeartBeatSendMilliseconds), TimeSpan.FromMilliseconds(options.HeartBeatReceiveMilliseconds));
        session.Connected(version, offer, StompHeartBeat.Negotiate(clientHeartBeat, options.HeartBeatSendMilliseconds, options.HeartBeatReceiveMilliseconds), secret);
    }

    private async Task AuthenticateAsync(string? token)
    {
        var (user, expiresAt) = await tokens!.Validator.ValidateAsync(token);
        chat.Authenticate(user, expiresAt);
    }

    private async Task SendAsync(StompFrame frame)
    {
        Required(frame, StompHeaders.Destination);
        var transaction = frame[StompHeaders.Transaction];
        if (transaction is null)
        {
            await PublishAsync(frame);
            return;
        }

        var frames = OpenTransaction(transaction);
        if (frames.Count >= options.MaxFramesPerTransaction)
        {
            throw new StompSessionException(StompError.Limit, $"Transaction '{transaction}' holds more than {options.MaxFramesPerTransaction} frames");
        }

        frames.Add(frame);
    }

    private async Task PublishAsync(StompFrame frame)
    {
        var destination = Required(frame, StompHeaders.Destination);
        if (destination == ChatStompProtocol.TokenRefreshDestination)
        {
            if (tokens is null)
            {
                throw new StompSessionException(StompError.Refused, "This server runs in Anonymous mode: there is no token to refresh");
            }

            await AuthenticateAsync(tokens.Of(frame));
            return;
        }

        if (!StompDestination.TryParse(destination, out var target) || target.Kind == StompDestinationKind.Topic)
        {
            throw new StompSessionException(
                StompError.UnknownDestination,
                $"Unknown destination '{destination}': send to /app/chat.addUser, /app/chat.sendMessage or /app/room/{{room}}/chat.addUser|chat.sendMessage");
        }

        var body = ReadChatBody(frame);
        if (target.Kind == StompDestinationKind.AddUser)
        {
            if (tokens is null && body.Sender is not { Length: > 0 })
            {
                throw new StompSessionException(StompError.Malformed, "chat.addUser needs a sender");
            }

            await chat.JoinAsync(target.Room, body.Sender);
            foreach (var waiting in _subscriptions.Values.Where(s => s.Room == target.Room && !s.Active).ToList())
            {
                await ActivateAsync(waiting);
            }
        }
        else
        {
            await chat.SendAsync(target.Room, body.Content ?? throw new StompSessionException(StompError.Malformed, "chat.sendMessage needs a content"));
        }
    }

    private async Task SubscribeAsync(StompFrame frame)
    {
        var id = Required(frame, StompHeaders.Id);
        var destination = Required(frame, StompHeaders.Destination);
        if (_subscriptions.ContainsKey(id))
        {
            throw new StompSessionException(StompError.Malformed, $"Subscription id '{id}' is already in use on this connection");
        }

        if (_subscriptions.Count >= options.MaxSubscriptions)
        {
            throw new StompSessionException(StompError.Limit, $"Too many subscriptions: at most {options.MaxSubscriptions} per connection");
        }

        if (!StompDestination.TryParse(destination, out var target) || target.Kind != StompDestinationKind.Topic)
        {
            throw new StompSessionException(StompError.UnknownDestination, $"Unknown destination '{destination}': subscribe to /topic/public or /topic/room/{{room}}");
        }

        if (_subscriptions.Values.FirstOrDefault(s => s.Room == target.Room) is { } existing)
        {
            throw new StompSessionException(StompError.Malformed, $"Already subscribed to room '{target.Room}' (subscription '{existing.Id}')");
        }

        var ack = frame[StompHeaders.Ack] ?? "auto";
        if (ack is not ("auto" or "client" or "client-individual"))
        {
            throw new StompSessionException(StompError.Malformed, $"Invalid ack mode '{ack}' (auto, client or client-individual)");
        }

        var subscription = new StompSubscription(session, id, destination, target.Room, ack != "auto", ReadSince(frame));
        _subscriptions.Add(id, subscription);
        if (chat.IsJoined(target.Room))
        {
            await ActivateAsync(subscription);
        }
    }

    private async Task ActivateAsync(StompSubscription subscription)
    {
        await chat.SubscribeAsync(subscription.Room, subscription.Since, subscription);
        subscription.Active = true;
    }

    private async Task UnsubscribeAsync(StompFrame frame)
    {
        var id = Required(frame, StompHeaders.Id);
        if (!_subscriptions.Remove(id, out var subscription))
        {
            throw new StompSessionException(StompError.Malformed, $"No subscription with id '{id}'");
        }

        if (subscription.Active)
        {
            await chat.UnsubscribeAsync(subscription.Room);
        }
    }

    /// <summary>Messages are delivered once and not redelivered (a client resumes by offset), so ACK and NACK are checked and accepted.</summary>
    private void Acknowledge(StompFrame frame)
    {
        if (session.Version == StompVersion.V12)
        {
            Required(frame, StompHeaders.Id);
        }
        else
        {
            Required(frame, StompHeaders.MessageId);
            if (session.Version == StompVersion.V11)
            {
                Required(frame, StompHeaders.Subscription);
            }
        }

        if (frame[StompHeaders.Transaction] is { } transaction)
        {
            OpenTransaction(transaction);
        }
    }

    private void Begin(StompFrame frame)
    {
        var transaction = Required(frame, StompHeaders.Transaction);
        if (_transactions.ContainsKey(transaction))
        {
            throw new StompSessionException(StompError.Malformed, $"Transaction '{transaction}' is already open");
        }

        if (_transactions.Count >= options.MaxTransactions)
        {
            throw new StompSessionException(StompError.Limit, $"Too many open transactions: at most {options.MaxTransactions}");
        }

        _transactions.Add(transaction, []);
    }

    private async Task CommitAsync(StompFrame frame)
    {
        var transaction = Required(frame, StompHeaders.Transaction);
        var frames = OpenTransaction(transaction);
        _transactions.Remove(transaction);
        foreach (var send in frames)
        {
            await PublishAsync(send);
        }
    }

    private void Abort(StompFrame frame)
    {
        var transaction = Required(frame, StompHeaders.Transaction);
        OpenTransaction(transaction);
        _transactions.Remove(transaction);
    }

    private List<StompFrame> OpenTransaction(string transaction) =>
        _transactions.TryGetValue(transaction, out var frames)
            ? frames
            : throw new StompSessionException(StompError.Malformed, $"No open transaction '{transaction}'");

    private static string Required(StompFrame frame, string header) =>
        frame[header] is { Length: > 0 } value
            ? value
            : throw new StompSessionException(StompError.MissingHeader, $"{StompCommands.Name(frame.Command)} frame is missing the required '{header}' header");

    private static RoomPosition? ReadSince(StompFrame frame)
    {
        var epoch = frame[ChatStompProtocol.Epoch];
        var since = frame[ChatStompProtocol.SinceOffset];
        if (epoch is null && since is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(epoch) || !long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new StompSessionException(StompError.Malformed, "Resuming needs both x-epoch and x-since-offset (a non-negative integer)");
        }

        return new RoomPosition(epoch, offset);
    }

    private static StompChatBody ReadChatBody(StompFrame frame)
    {
        var body = frame.Body.Span;
        if (!Utf8.IsValid(body))
        {
            throw new StompSessionException(StompError.InvalidUtf8, "Body is not valid UTF-8");
        }

        try
        {
            return JsonSerializer.Deserialize<StompChatBody>(body, ChatJson.Options)
                ?? throw new StompSessionException(StompError.Malformed, "Body must be a chat message: JSON with sender, content and type");
        }
        catch (JsonException)
        {
            throw new StompSessionException(StompError.Malformed, "Body must be a chat message: JSON with sender, content and type");
        }
    }
}
