// Helpers of the Node tests: clients over the `ws` package (Node 20 has no WebSocket), message logs, bounded waits.
import WebSocket from "ws";
import { ChatClient } from "../src/index.js";

export { WebSocket };

/** A started client, stopped when the test ends. */
export async function openClient(options, t) {
  const client = new ChatClient({ WebSocket, ...options });
  t?.after(() => client.stop());
  await client.start();
  return client;
}

/** Every message the client hands over for one room, in the order it hands them over. */
export function collect(client, room) {
  const messages = [];
  client.on("message", (m) => m.room === room && messages.push(m));
  return messages;
}

/** Polls until the condition holds; fails with what it waited for after `ms`. */
export async function waitFor(condition, what, ms = 20_000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) {
      throw new Error(`timed out waiting: ${what}`);
    }

    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
