using System.Net;
using Chat.Contracts;
using Chat.Server.Tests.Stomp;
using Chat.Server.Tests.Support;
using Chat.Stomp;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Security;

/// <summary>
/// Chat:Auth:Mode=Jwt against an issuer served by the test (discovery + JWKS, real RS256 tokens): names and rooms
/// from the token, no token or a forged one refused, expiry ends the connection with a clear reason, an in-band
/// refresh keeps it.
/// </summary>
public sealed class JwtModeTests : IAsyncLifetime
{
    /// <summary>
    /// The tokens meant to expire during a test: long enough for the first connect, which fetches the issuer's keys,
    /// on a busy machine (`exp` is in whole seconds, so up to one of them is lost).
    /// </summary>
    private static readonly TimeSpan ShortLife = TimeSpan.FromSeconds(8);

    private TestTokenIssuer _issuer = null!;
    private InProcessChatServer _server = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestTokenIssuer.StartAsync();
        _server = new InProcessChatServer(new Dictionary<string, string?>
        {
            ["Chat:Auth:Mode"] = "Jwt",
            ["Chat:Auth:Jwt:Authority"] = _issuer.Authority.ToString(),
            ["Chat:Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Chat:Auth:Jwt:ClockSkewSeconds"] = "0",
            ["Chat:Auth:Jwt:DefaultRooms:0"] = "public",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task The_name_and_the_rooms_come_from_a_valid_token_only()
    {
        using var http = _server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/hub/chat/negotiate?negotiateVersion=1", null)).StatusCode);
        var forged = _issuer.Token("alice", TimeSpan.FromMinutes(5), forged: true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync($"/hub/chat/negotiate?negotiateVersion=1&access_token={forged}", null)).StatusCode);
        var otherAudience = _issuer.Token("alice", TimeSpan.FromMinutes(5), audience: "billing");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync($"/hub/chat/negotiate?negotiateVersion=1&access_token={otherAudience}", null)).StatusCode);

        var token = _issuer.Token("alice", TimeSpan.FromMinutes(5), rooms: "public team-*");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/hub/chat/negotiate?negotiateVersion=1&access_token={token}", null)).StatusCode); // as browsers send it

        await using var alice = Outsider.Hub(IPAddress.Loopback, _server.BaseAddress, () => Task.FromResult<string?>(token));
        var messages = new List<ChatMessage>();
        alice.On<ChatMessage>(ChatHubProtocol.MessageEvent, m => { lock (messages) { messages.Add(m); } });
        await alice.StartAsync();
        var joined = await alice.InvokeAsync<JoinResult>("Join", "public", "mallory"); // the client's name is ignored
        Assert.Equal(["alice"], joined.Members);
        Assert.Null(joined.ReconnectSecret);
        await alice.InvokeAsync<long>("Send", "public", "hello");
        Assert.True(await Eventually.TrueAsync(() => { lock (messages) { return messages.Any(m => m is { Sender: "alice", Content: "hello" }); } }, TimeSpan.FromSeconds(10)));
        await alice.InvokeAsync<JoinResult>("Join", "team-red", null);
        var denied = await Assert.ThrowsAsync<HubException>(() => alice.InvokeAsync<JoinResult>("Join", "board", null));
        Assert.Contains("does not grant the room 'board'", denied.Message);

        // STOMP: the token in CONNECT (passcode, or Authorization: Bearer).
        await using var anonymous = await StompTestClient.OpenAsync(_server.BaseAddress);
        await anonymous.SendAsync("CONNECT\naccept-version:1.2\nhost:x\n\n^@");
        Assert.Contains("Authentication required", (await anonymous.ReceiveAsync())[StompHeaders.Message]);
        await using var bob = await StompTestClient.ConnectAsync(_server.BaseAddress, $"passcode:{_issuer.Token("bob", TimeSpan.FromMinutes(5))}\n");
        await bob.SendAsync("SUBSCRIBE\nid:0\ndestination:/topic/public\n\n^@");
        await bob.SendJsonAsync("/app/chat.addUser", new { sender = "alice" });
        await bob.ReceiveMessageAsync(m => m is { Type: MessageType.JOIN, Sender: "bob" });
        await using var carol = await StompTestClient.ConnectAsync(_server.BaseAddress, $"Authorization:Bearer {_issuer.Token("carol", TimeSpan.FromMinutes(5))}\n");
        await carol.SendJsonAsync("/app/room/board/chat.addUser", new { }, "receipt:x\n");
        var refused = await carol.ReceiveAsync();
        Assert.True(refused.Command == StompCommand.Error, $"expected an ERROR, got {refused}: {System.Text.Encoding.UTF8.GetString(refused.Body.Span)}");
        Assert.Contains("does not grant", refused[StompHeaders.Message]); // DefaultRooms: public only
    }

    [Fact]
    public async Task An_expired_token_ends_the_connection_with_a_clear_reason()
    {
        var token = _issuer.Token("erin", ShortLife);
        await using var erin = Outsider.Hub(IPAddress.Loopback, _server.BaseAddress, () => Task.FromResult<string?>(token));
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        erin.On<ReconnectRequest>(ChatHubProtocol.ReconnectEvent, r => reason.TrySetResult(r.Reason));
        erin.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await erin.StartAsync();
        await erin.InvokeAsync<JoinResult>("Join", "public", null);
        Assert.Contains("access token expired", await reason.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await using var stomp = await StompTestClient.ConnectAsync(_server.BaseAddress, $"passcode:{_issuer.Token("frank", ShortLife)}\n");
        var error = await stomp.ReceiveAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(StompCommand.Error, error.Command);
        Assert.Contains("access token expired", error[StompHeaders.Message]);
        Assert.Contains("kind=\"token_expired\"", await _server.CreateClient().GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_token_refreshed_in_band_keeps_the_connection_past_the_first_expiry()
    {
        var first = _issuer.Token("gina", ShortLife);
        await using var gina = Outsider.Hub(IPAddress.Loopback, _server.BaseAddress, () => Task.FromResult<string?>(first));
        var reconnects = 0;
        gina.On<ReconnectRequest>(ChatHubProtocol.ReconnectEvent, _ => Interlocked.Increment(ref reconnects));
        await gina.StartAsync();
        await gina.InvokeAsync<JoinResult>("Join", "public", null);

        var refused = await Assert.ThrowsAsync<HubException>(() => gina.InvokeAsync("RefreshToken", _issuer.Token("hank", TimeSpan.FromMinutes(5))));
        Assert.Contains("same user", refused.Message);
        await gina.InvokeAsync("RefreshToken", _issuer.Token("gina", TimeSpan.FromMinutes(5)));
        var firstTokensExpired = DateTimeOffset.UtcNow + ShortLife + TimeSpan.FromSeconds(1); // ivy's is the later one
        await using var stomp = await StompTestClient.ConnectAsync(_server.BaseAddress, $"passcode:{_issuer.Token("ivy", ShortLife)}\n");
        await stomp.SendAsync($"SEND\ndestination:{ChatStompProtocol.TokenRefreshDestination}\npasscode:{_issuer.Token("ivy", TimeSpan.FromMinutes(5))}\nreceipt:r\n\n^@");
        Assert.Equal("r", (await stomp.ReceiveAsync())["receipt-id"]);

        var wait = firstTokensExpired - DateTimeOffset.UtcNow;
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        Assert.Equal(HubConnectionState.Connected, gina.State);
        await gina.InvokeAsync<long>("Send", "public", "still here");
        Assert.Equal(0, Volatile.Read(ref reconnects));
        await stomp.SendAsync("DISCONNECT\nreceipt:bye\n\n^@");
        Assert.Equal("bye", (await stomp.ReceiveAsync())["receipt-id"]);
    }
}
