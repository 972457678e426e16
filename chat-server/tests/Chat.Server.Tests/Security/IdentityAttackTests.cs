using System.Net;
using Chat.Contracts;
using Chat.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Security;

/// <summary>
/// Identity in Anonymous mode, attacked as an outsider would (issue "Why": anyone could be anyone, look-alike names,
/// listening unseen). Each of these passed on the code before Chat:Auth.
/// </summary>
public sealed class IdentityAttackTests : IAsyncLifetime
{
    private InProcessChatServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new InProcessChatServer(new Dictionary<string, string?> { ["Chat:PresenceGraceSeconds"] = "30" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_live_name_is_refused_to_another_connection_but_kept_by_the_one_with_its_secret()
    {
        await using var alice = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var joined = await alice.JoinAsync("public", "alice");
        Assert.False(string.IsNullOrEmpty(joined.ReconnectSecret));

        await using var mallory = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var refused = await Assert.ThrowsAsync<HubException>(() => mallory.JoinAsync("public", "alice"));
        Assert.Contains("in use", refused.Message);
        var guessed = await Assert.ThrowsAsync<HubException>(() => mallory.Connection.InvokeAsync<JoinResult>("Join", "public", "alice", null, "not-the-secret-of-alice"));
        Assert.Contains("in use", guessed.Message);

        // alice moves: her old connection is gone (the name is held through the grace period), the new one has the secret.
        await alice.Connection.DisposeAsync();
        await Assert.ThrowsAsync<HubException>(() => mallory.JoinAsync("public", "alice"));
        await using var back = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var rejoined = await back.Connection.InvokeAsync<JoinResult>("Join", "public", "alice", null, joined.ReconnectSecret);
        Assert.Equal(joined.ReconnectSecret, rejoined.ReconnectSecret);
        Assert.Equal(["alice"], rejoined.Members);
        await back.SendAsync("public", "still me");
        Assert.True(await back.WaitForAsync(c => c.Chats("public").Any(m => m is { Sender: "alice", Content: "still me" })));
    }

    [Theory]
    [InlineData("Alice", "in use")]            // case
    [InlineData("ALICE", "in use")]
    [InlineData("ａｌｉｃｅ", "in use")]         // fullwidth: NFKC is "alice"
    [InlineData("\u0430lice", "mixes scripts")] // Cyrillic а
    [InlineData("\u0430\u0441\u0435", "looks like a word of another script")] // all Cyrillic "асе"
    [InlineData("al\u200Bice", "invisible")]    // zero-width space
    [InlineData("al\u200Dice", "invisible")]    // zero-width joiner
    [InlineData("\uFEFFalice", "invisible")]    // BOM
    [InlineData("\u200Ealice", "invisible")]    // LRM
    [InlineData("\u200Falice", "invisible")]    // RLM
    [InlineData("\u202Ealice", "invisible")]    // RLO
    [InlineData("\u3164", "not allowed")]       // Hangul filler alone: invisible
    [InlineData("alice\u034F", "not allowed")]  // combining grapheme joiner (an invisible mark)
    [InlineData("\u0301alice", "not allowed")]  // leading combining mark
    public async Task Names_displayed_like_a_live_one_are_refused(string lookAlike, string reason)
    {
        await using var alice = await RawHubClient.ConnectAsync(_server.BaseAddress);
        await alice.JoinAsync("lookalikes", "alice");
        await using var mallory = await RawHubClient.ConnectAsync(_server.BaseAddress);

        var refused = await Assert.ThrowsAsync<HubException>(() => mallory.JoinAsync("lookalikes", lookAlike));
        Assert.Contains(reason, refused.Message);
        Assert.Equal(["alice"], (await alice.JoinAsync("lookalikes", "alice")).Members);
    }

    [Fact]
    public async Task Accepted_names_are_shown_normalised_and_other_scripts_work()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.BaseAddress);
        Assert.Equal(["Zoë Smith"], (await client.JoinAsync("scripts", "  Zoe\u0308   Smith ")).Members); // NFC, one space
        await using var ivan = await RawHubClient.ConnectAsync(_server.BaseAddress);
        Assert.Contains("Иван", (await ivan.JoinAsync("scripts", "Иван")).Members);
        await using var wei = await RawHubClient.ConnectAsync(_server.BaseAddress);
        Assert.Contains("张伟", (await wei.JoinAsync("scripts", "张伟")).Members);
    }

    [Fact]
    public async Task History_and_live_messages_are_for_members_only()
    {
        await using var alice = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var joined = await alice.JoinAsync("private-talk", "alice");
        await alice.SendAsync("private-talk", "secret plans");

        // Resume on a room never joined: refused, no history, no live stream, and no ghost in the member list.
        await using var eve = await RawHubClient.ConnectAsync(_server.BaseAddress);
        var resume = await Assert.ThrowsAsync<HubException>(() => eve.ResumeAsync("private-talk", joined.Epoch, 0));
        Assert.Contains("Join the room 'private-talk'", resume.Message);
        var foreignEpoch = await Assert.ThrowsAsync<HubException>(() => eve.ResumeAsync("private-talk", "someotherepoch", 0));
        Assert.Contains("members only", foreignEpoch.Message);
        await alice.SendAsync("private-talk", "more plans");
        Assert.True(await alice.WaitForAsync(c => c.Chats("private-talk").Count == 2));
        Assert.Empty(eve.Raw);

        // STOMP: a SUBSCRIBE without chat.addUser waits; nothing arrives until the client joins (and shows up).
        await using var stomp = await Stomp.StompTestClient.ConnectAsync(_server.BaseAddress);
        await stomp.SendAsync("SUBSCRIBE\nid:0\ndestination:/topic/room/private-talk\nreceipt:r\n\n^@");
        Assert.Equal("r", (await stomp.ReceiveAsync())["receipt-id"]);
        await alice.SendAsync("private-talk", "while eve listens");
        await Assert.ThrowsAsync<TimeoutException>(() => stomp.ReceiveAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(["alice"], (await alice.JoinAsync("private-talk", "alice")).Members);
    }
}
