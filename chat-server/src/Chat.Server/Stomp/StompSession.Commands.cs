using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Unicode;
using Chat.Contracts;
using Chat.Server.Rooms;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>What each client frame does. Every failure becomes a <see cref="StompProtocolException"/> (one ERROR, then close).</summary>
public sealed partial class StompSession
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, StompSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StompFrame>> _transactions = new(StringComparer.Ordinal);

    private async Task RunFrameAsync(StompFrame frame)
    {
        var receipt = frame.Command is StompCommand.Connect or StompCommand.Stomp ? null : frame[StompHeaders.Receipt];
        try
        {
            if (!_rateLimiter.TryAcquire())
            {
                throw new StompProtocolException($"Rate limit exceeded: at most {_options.MaxFramesPerSecond} frames per second (burst {_options.FrameBurst})", "stomp_rate_limit");
            }

            if (!frame.Body.IsEmpty && !StompCommands.MayHaveBody(frame.Command))
            {
                throw new StompProtocolException($"{StompCommands.Name(frame.Command)} frames must not have a body");
            }

            if (_version is null && frame.Command is not (StompCommand.Connect or StompCommand.Stomp))
            {
                throw new StompProtocolException($"Not connected: send CONNECT before {StompCommands.Name(frame.Command)}", "stomp_not_connected");
            }

            switch (frame.Command)
            {
                case StompCommand.Connect or StompCommand.Stomp: Connect(frame); break;
                case StompCommand.Send: await SendAsync(frame); break;
                case StompCommand.Subscribe: await SubscribeAsync(frame); break;
                case StompCommand.Unsubscribe: await UnsubscribeAsync(frame); break;
                case StompCommand.Ack or StompCommand.Nack: Acknowledge(frame); break;
                case StompCommand.Begin: Begin(frame); break;
                case StompCommand.Commit: await CommitAsync(frame); break;
                case StompCommand.Abort: Abort(frame); break;
                case StompCommand.Disconnect: break;
                default: throw new StompProtocolException($"{StompCommands.Name(frame.Command)} is a server frame; a client may not send it");
            }
        }
        catch (StompProtocolException e)
        {
            throw e.WithReceipt(receipt);
        }
        catch (ChatValidationException e)
        {
            throw new StompProtocolException(e.Message, "stomp_invalid", receipt);
        }
        catch (BrokerUnavailableException e)
        {
            throw new StompProtocolException("The chat is temporarily unavailable: " + e.Message, "broker_unavailable", receipt);
        }

        if (receipt is not null)
        {
            _outbox.TryEnqueue(StompServerFrames.Receipt(receipt, Escaped));
        }

        if (frame.Command == StompCommand.Disconnect)
        {
            Stop(null, WebSocketCloseStatus.NormalClosure, "DISCONNECT", dropQueued: false);
        }
    }

    private void Connect(StompFrame frame)
    {
        if (_version is not null)
        {
            throw new StompProtocolException("Already connected: CONNECT may be sent once");
        }

        var version = StompVersion.Negotiate(frame[StompHeaders.AcceptVersion]);
        var clientHeartBeat = StompHeartBeat.Parse(frame[StompHeaders.HeartBeat]);
        var offer = new StompHeartBeat(TimeSpan.FromMilliseconds(_options.HeartBeatSendMilliseconds), TimeSpan.FromMilliseconds(_options.HeartBeatReceiveMilliseconds));
        _heartBeat = StompHeartBeat.Negotiate(clientHeartBeat, _options.HeartBeatSendMilliseconds, _options.HeartBeatReceiveMilliseconds);
        _outbox.TryEnqueue(StompServerFrames.Connected(version, offer, Id));
        _version = version;
        _connected.TrySetResult();
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
        if (frames.Count >= _options.MaxFramesPerTransaction)
        {
            throw new StompProtocolException($"Transaction '{transaction}' holds more than {_options.MaxFramesPerTransaction} frames", "stomp_limit");
        }

        frames.Add(frame);
    }

    private async Task PublishAsync(StompFrame frame)
    {
        var destination = Required(frame, StompHeaders.Destination);
        if (!StompDestination.TryParse(destination, out var target) || target.Kind == StompDestinationKind.Topic)
        {
            throw new StompProtocolException(
                $"Unknown destination '{destination}': send to /app/chat.addUser, /app/chat.sendMessage or /app/room/{{room}}/chat.addUser|chat.sendMessage",
                "stomp_destination");
        }

        var body = ReadChatBody(frame);
        if (target.Kind == StompDestinationKind.AddUser)
        {
            var user = body.Sender is { Length: > 0 } sender ? sender : throw new StompProtocolException("chat.addUser needs a sender");
            await _rooms.JoinAsync(this, target.Room, user);
        }
        else
        {
            await _rooms.SendAsync(this, target.Room, body.Content ?? throw new StompProtocolException("chat.sendMessage needs a content"));
        }
    }

    private async Task SubscribeAsync(StompFrame frame)
    {
        var id = Required(frame, StompHeaders.Id);
        var destination = Required(frame, StompHeaders.Destination);
        if (_subscriptions.ContainsKey(id))
        {
            throw new StompProtocolException($"Subscription id '{id}' is already in use on this connection");
        }

        if (_subscriptions.Count >= _options.MaxSubscriptions)
        {
            throw new StompProtocolException($"Too many subscriptions: at most {_options.MaxSubscriptions} per connection", "stomp_limit");
        }

        if (!StompDestination.TryParse(destination, out var target) || target.Kind != StompDestinationKind.Topic)
        {
            throw new StompProtocolException($"Unknown destination '{destination}': subscribe to /topic/public or /topic/room/{{room}}", "stomp_destination");
        }

        if (_subscriptions.Values.FirstOrDefault(s => s.Room == target.Room) is { } existing)
        {
            throw new StompProtocolException($"Already subscribed to room '{target.Room}' (subscription '{existing.Id}')");
        }

        var ack = frame[StompHeaders.Ack] ?? "auto";
        if (ack is not ("auto" or "client" or "client-individual"))
        {
            throw new StompProtocolException($"Invalid ack mode '{ack}' (auto, client or client-individual)");
        }

        var resumeFrom = ReadResumePosition(frame);
        var subscription = new StompSubscription(this, id, destination, target.Room, ack != "auto");
        _subscriptions.Add(id, subscription);
        try
        {
            subscription.Start(await _rooms.SubscribeAsync(this, target.Room, resumeFrom, subscription));
        }
        catch
        {
            _subscriptions.Remove(id);
            await subscription.DisposeAsync();
            throw;
        }
    }

    private async Task UnsubscribeAsync(StompFrame frame)
    {
        var id = Required(frame, StompHeaders.Id);
        if (!_subscriptions.Remove(id, out var subscription))
        {
            throw new StompProtocolException($"No subscription with id '{id}'");
        }

        await subscription.DisposeAsync();
        await _rooms.UnsubscribeAsync(this, subscription.Room);
    }

    /// <summary>Messages are delivered once and not redelivered (a client resumes by offset), so ACK and NACK are checked and accepted.</summary>
    private void Acknowledge(StompFrame frame)
    {
        if (_version == StompVersion.V12)
        {
            Required(frame, StompHeaders.Id);
        }
        else
        {
            Required(frame, StompHeaders.MessageId);
            if (_version == StompVersion.V11)
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
            throw new StompProtocolException($"Transaction '{transaction}' is already open");
        }

        if (_transactions.Count >= _options.MaxTransactions)
        {
            throw new StompProtocolException($"Too many open transactions: at most {_options.MaxTransactions}", "stomp_limit");
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
            : throw new StompProtocolException($"No open transaction '{transaction}'");

    private static string Required(StompFrame frame, string header) =>
        frame[header] is { Length: > 0 } value
            ? value
            : throw new StompProtocolException($"{StompCommands.Name(frame.Command)} frame is missing the required '{header}' header", "stomp_missing_header");

    private static RoomPosition? ReadResumePosition(StompFrame frame)
    {
        var epoch = frame[ChatStompProtocol.Epoch];
        var since = frame[ChatStompProtocol.SinceOffset];
        if (epoch is null && since is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(epoch) || !long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new StompProtocolException("Resuming needs both x-epoch and x-since-offset (a non-negative integer)");
        }

        return new RoomPosition(epoch, offset);
    }

    private static IncomingChatMessage ReadChatBody(StompFrame frame)
    {
        var body = frame.Body.Span;
        if (!Utf8.IsValid(body))
        {
            throw new StompProtocolException("Body is not valid UTF-8", "stomp_utf8");
        }

        try
        {
            return JsonSerializer.Deserialize<IncomingChatMessage>(body, Json)
                ?? throw new StompProtocolException("Body must be a chat message: JSON with sender, content and type");
        }
        catch (JsonException)
        {
            throw new StompProtocolException("Body must be a chat message: JSON with sender, content and type");
        }
    }

    private async Task EndAsync()
    {
        foreach (var subscription in _subscriptions.Values)
        {
            await subscription.DisposeAsync();
        }

        _subscriptions.Clear();
        _transactions.Clear();
        _abort.Dispose();
        try
        {
            await _rooms.DisconnectedAsync(this);
        }
        catch (Exception e) when (e is BrokerUnavailableException or OperationCanceledException)
        {
            _logger.LogWarning(e, "STOMP session {Session}: presence not updated on disconnect", Id);
        }
    }

    /// <summary>The Spring demo's ChatMessage as a client sends it; the type is implied by the destination.</summary>
    private sealed record IncomingChatMessage(string? Sender, string? Content, string? Type);
}
