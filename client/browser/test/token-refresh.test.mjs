// Jwt servers: the module refreshes its token in band before it expires and reconnects when a refresh is refused.
// CHAT_URL_JWT: a chat server in Jwt mode with dev tokens of a few seconds (Chat.Server.Tests starts it). Skipped
// without it; the unit tests of the expiry arithmetic always run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expiryOf, refreshDelayMs } from "../src/token-refresh.js";
import { collect, openClient, waitFor } from "./support.mjs";

const url = process.env.CHAT_URL_JWT;
const skip = !url ? "CHAT_URL_JWT is not set" : false;
const unique = (name) => `${name}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;

const jwt = (payload) => `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

test("the refresh comes before the token's expiry, and never for a token without exp", () => {
  const now = 1_000_000_000_000;
  assert.equal(expiryOf(jwt({ exp: 42 })), 42);
  assert.equal(expiryOf("not a token"), null);
  assert.equal(refreshDelayMs(jwt({ sub: "x" }), now), null);
  assert.equal(refreshDelayMs(jwt({ exp: now / 1000 + 900 }), now), 675_000); // three quarters of a 15 min token
  assert.equal(refreshDelayMs(jwt({ exp: now / 1000 + 100 }), now), 70_000); // 30 s before the end, when earlier
  assert.equal(refreshDelayMs(jwt({ exp: now / 1000 + 8 }), now), 4_000); // half of a short one
  assert.equal(refreshDelayMs(jwt({ exp: now / 1000 - 1 }), now), 0);
});

async function devToken(name) {
  const response = await fetch(new URL(`auth/dev-token?name=${encodeURIComponent(name)}`, url), { method: "POST" });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).accessToken;
}

for (const protocol of ["signalr", "stomp"]) {
  test(`${protocol}: the token is refreshed in band and the connection outlives the first tokens`, { skip }, async (t) => {
    const user = unique("kim");
    let tokens = 0;
    const client = await openClient({ user, protocol, url, accessToken: () => (tokens++, devToken(user)) }, t);
    const states = [];
    client.on("state", (s) => states.push(s.state));
    const messages = collect(client, "public");
    await client.join("public");

    // Dev tokens live 5 s here: three tokens means the connection is past the first two expiries.
    await waitFor(() => tokens >= 3, "two refreshes", 30_000);
    await client.send("public", "still here");
    await waitFor(() => messages.some((m) => m.content === "still here" && m.sender === user), "the message back");
    assert.deepEqual(states.filter((s) => s !== "connected"), [], "the client never reconnected");
  });

  test(`${protocol}: a refused refresh ends the connection and the client connects again with a new token`, { skip }, async (t) => {
    const user = unique("lee");
    let calls = 0;
    // The second token is another user's: the server refuses it; the third (on the new connection) is right again.
    const client = await openClient({ user, protocol, url, accessToken: () => devToken(++calls === 2 ? unique("mallory") : user) }, t);
    const errors = [];
    const states = [];
    client.on("error", (e) => errors.push(e));
    client.on("state", (s) => states.push(s.state));
    await client.join("public");

    await waitFor(() => states.includes("reconnecting") && client.state === "connected" && calls >= 3, "a reconnect after the refusal", 30_000);
    assert.ok(errors.some((e) => e.kind === "refused" && /same user/i.test(e.reason)), errors.map((e) => e.reason).join("; "));
    await client.send("public", "back");
  });
}
