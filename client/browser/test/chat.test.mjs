// The module under Node against real chat servers: CHAT_URL_A and CHAT_URL_B, two replicas sharing one Redis
// (Chat.Server.Tests starts them and runs this file). Skipped without them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ChatClient } from "../src/index.js";
import { collect, openClient, waitFor, WebSocket } from "./support.mjs";

const urlA = process.env.CHAT_URL_A;
const urlB = process.env.CHAT_URL_B;
const skip = !urlA || !urlB ? "CHAT_URL_A and CHAT_URL_B are not set" : false;
const unique = (name) => `${name}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;

for (const [first, second] of [["signalr", "stomp"], ["stomp", "signalr"]]) {
  test(`${first} on one replica and ${second} on the other join, send and receive each message once, in order`, { skip }, async (t) => {
    const room = unique("room");
    const alice = await openClient({ user: unique("alice"), protocol: first, url: urlA }, t);
    const bob = await openClient({ user: unique("bob"), protocol: second, url: urlB }, t);
    const atAlice = collect(alice, room);
    const atBob = collect(bob, room);
    await alice.join(room);
    await bob.join(room);
    assert.equal(alice.replica, "a");
    assert.equal(bob.replica, "b");

    for (let i = 1; i <= 5; i++) {
      await alice.send(room, `from alice ${i}`);
      await bob.send(room, `from bob ${i}`);
    }

    const chats = (messages) => messages.filter((m) => m.type === "CHAT").map((m) => m.content);
    await waitFor(() => chats(atAlice).length === 10 && chats(atBob).length === 10, "every message reached both");
    const expected = [1, 2, 3, 4, 5].flatMap((i) => [`from alice ${i}`, `from bob ${i}`]);
    assert.deepEqual(chats(atAlice), expected);
    assert.deepEqual(chats(atBob), expected);
    for (const messages of [atAlice, atBob]) {
      const offsets = messages.map((m) => m.offset);
      assert.deepEqual(offsets, offsets.map((_, i) => offsets[0] + i), "consecutive offsets, each once");
    }

    assert.ok(atBob.some((m) => m.type === "JOIN" && m.sender === alice.user), "bob saw alice's JOIN");
    assert.deepEqual(alice.position(room), bob.position(room));
  });

  test(`${first}: a refused call rejects with the server's reason and the client keeps chatting`, { skip }, async (t) => {
    const room = unique("refused");
    const client = await openClient({ user: unique("carol"), protocol: first, url: urlA }, t);
    const states = [];
    client.on("state", (s) => states.push(s.state));
    await client.join(room);
    await assert.rejects(client.send(room, "   "), (e) => e.kind === "refused" && /empty/i.test(e.reason));
    if (first === "stomp") {
      // STOMP's ERROR ends the connection (the server closes after it): the client connects again by itself.
      await waitFor(() => states.includes("reconnecting") && client.state === "connected", "connected again");
    }
    const offset = await client.send(room, "still here");
    assert.equal(first === "signalr" ? typeof offset : offset, first === "signalr" ? "number" : undefined);

    const tooLong = new ChatClient({ user: "x".repeat(100), protocol: first, url: urlA, WebSocket });
    t.after(() => tooLong.stop());
    tooLong.start();
    await assert.rejects(tooLong.join(room), (e) => e.kind === "refused" && /name/i.test(e.reason));
    assert.deepEqual(tooLong.rooms, [], "a room the server refused is not joined again");
  });
}

test("signalr: presence lists who is in the room on both replicas and follows a leave", { skip }, async (t) => {
  const room = unique("presence");
  const dave = await openClient({ user: unique("dave"), protocol: "signalr", url: urlA }, t);
  const erin = await openClient({ user: unique("erin"), protocol: "signalr", url: urlB }, t);
  const seen = [];
  dave.on("presence", (p) => p.room === room && seen.push(p.members));
  const joined = await dave.join(room);
  assert.deepEqual(joined.members, [dave.user]);
  await erin.join(room);
  await waitFor(() => seen.at(-1)?.includes(erin.user), "dave sees erin");
  await erin.leave(room);
  await waitFor(() => !seen.at(-1)?.includes(erin.user), "dave sees erin leave");
});

test("join() before start() and after stop(): rooms wait for the connection, stop refuses what still waits", { skip }, async () => {
  const client = new ChatClient({ user: unique("frank"), protocol: "stomp", url: urlA, WebSocket });
  const joined = client.join(unique("early"));
  await client.start();
  await joined;
  assert.equal(client.state, "connected");
  await client.stop();
  assert.equal(client.state, "disconnected");
  await assert.rejects(client.send("early", "x"), (e) => e.kind === "disconnected");
});
