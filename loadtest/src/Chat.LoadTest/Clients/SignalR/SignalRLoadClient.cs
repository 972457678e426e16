using Chat.LoadTest.Metrics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.LoadTest.Clients.SignalR;

/// <summary>
/// A load client on the hub `/hub/chat` over WebSockets only, without negotiate, so one connection is one
/// upgrade the gateway balances. On the hub's `reconnect` event it closes and comes back, as the browser does.
/// </summary>
public sealed class SignalRLoadClient(ClientIdentity identity, IEntryPoints entries, LoadMetrics metrics)
    : LoadClient(identity, entries, metrics)
{
    private HubConnection? _connection;

    /// <summary>The reconnection secret of this client's name (anonymous mode): presented again so that it keeps the name.</summary>
    private string? _secret;

    protected override async Task<string> OpenAsync(Uri entry, RoomPosition? resumeFrom, Action<bool> lost, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(entry, "hub/chat"), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                if (HostHeader is { } host)
                {
                    options.Headers["Host"] = host;
                }
            })
            .Build();
        _connection = connection;
        var rebalance = false;
        connection.On<WireMessage>("message", message => OnMessage(message, requested: false));
        connection.On<ReconnectNotice>("reconnect", _ =>
        {
            rebalance = true;
            lost(true);
        });
        connection.Closed += _ =>
        {
            lost(rebalance);
            return Task.CompletedTask;
        };

        await connection.StartAsync(cancellationToken);
        var joined = await connection.InvokeAsync<JoinResult>("Join", Room, User, null, _secret, cancellationToken);
        _secret ??= joined.ReconnectSecret;
        OnJoined(joined.Epoch, joined.Offset);
        if (resumeFrom is not null)
        {
            var missed = await connection.InvokeAsync<WireMessage[]>("Resume", Room, resumeFrom.Epoch, resumeFrom.Offset, cancellationToken);
            foreach (var message in missed)
            {
                OnMessage(message, requested: true);
            }
        }

        return joined.Replica;
    }

    protected override async Task<bool> SendAsync(string content, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new NotConnectedException();
        await connection.InvokeAsync<long>("Send", Room, content, cancellationToken);
        return true;
    }

    protected override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }
}
