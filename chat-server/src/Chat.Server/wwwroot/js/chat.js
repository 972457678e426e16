// The chat page on the browser client module (lib/chat-client): the module joins, reconnects, resumes and hands
// over each message once, in order; this file only renders. All text goes through textContent (messages can never
// inject HTML) and colours are classes (no inline styles), so the page runs under a strict Content-Security-Policy.
import { ChatClient } from "../lib/chat-client/chat-client.js";
import { signInOptions } from "./auth.js";

const $ = (id) => document.getElementById(id);
const AVATAR_COLOURS = 8;
const STATE_LABELS = { connecting: "connecting", connected: "connected", reconnecting: "reconnecting", disconnected: "offline" };

const page = {
  chat: null,
  current: "public",
  rooms: new Map(), // name -> { log, members, unread }
};

// ---- Rooms ----------------------------------------------------------------------------------------------------

function room(name) {
  let r = page.rooms.get(name);
  if (!r) {
    const log = document.createElement("div");
    log.className = "room-log";
    log.dataset.room = name;
    log.hidden = name !== page.current;
    $("messages").append(log);
    r = { name, log, members: [], unread: 0 };
    page.rooms.set(name, r);
    renderRooms();
  }

  return r;
}

async function joinRoom(name) {
  room(name);
  select(name);
  try {
    await page.chat.join(name);
  } catch (e) {
    showError(e);
    dropRoom(name);
  }
}

function dropRoom(name) {
  const r = page.rooms.get(name);
  if (!r || name === "public") {
    return;
  }

  r.log.remove();
  page.rooms.delete(name);
  select("public");
}

function select(name) {
  page.current = name;
  const r = room(name);
  r.unread = 0;
  for (const other of page.rooms.values()) {
    other.log.hidden = other !== r;
  }

  renderRooms();
  renderMembers(r);
  scrollDown();
  $("message").focus();
}

// ---- The client's events --------------------------------------------------------------------------------------

async function connect(user) {
  let signIn;
  try {
    signIn = await signInOptions(user);
  } catch (e) {
    backToLogin(e.message);
    return;
  }

  const chat = new ChatClient({ user, protocol: "signalr", ...signIn });
  chat.on("message", (m) => render(room(m.room), m));
  chat.on("presence", (p) => setMembers(room(p.room), p.members));
  chat.on("reset", (r) => notice(room(r.room), "The room's history was reset on the server."));
  chat.on("state", showState);
  chat.on("error", showError);
  page.chat = chat;
  chat.start();
  room("public");
  select("public");
  try {
    await chat.join("public");
  } catch (e) {
    // Refused (a name taken or not allowed, say): back to the name form with the server's reason.
    await chat.stop();
    backToLogin(e.reason ?? String(e));
  }
}

function backToLogin(reason) {
  $("login-error").textContent = reason;
  $("login").hidden = false;
  $("chat").hidden = true;
}

function showState({ state, replica }) {
  const el = $("state");
  const label = STATE_LABELS[state] ?? state;
  el.textContent = label;
  el.className = "state state-" + label;
  $("send-button").disabled = state !== "connected";
  if (replica) {
    const badge = $("replica");
    badge.textContent = "replica " + replica;
    badge.hidden = false;
  }
}

// ---- Rendering ------------------------------------------------------------------------------------------------

function render(r, m) {
  if (m.type === "JOIN" || m.type === "LEAVE") {
    notice(r, `${m.sender} ${m.type === "JOIN" ? "joined" : "left"}`, m);
  } else {
    const item = document.createElement("div");
    item.className = "message" + (m.sender === page.chat.user ? " mine" : "");
    item.dataset.offset = m.offset;
    const body = document.createElement("div");
    body.className = "body";
    const sender = document.createElement("span");
    sender.className = "sender";
    sender.textContent = m.sender;
    const time = document.createElement("time");
    time.dateTime = m.sentAt;
    time.textContent = new Date(m.sentAt).toLocaleTimeString();
    const content = document.createElement("p");
    content.className = "content";
    content.textContent = m.content;
    body.append(sender, time, content);
    item.append(avatar(m.sender), body);
    r.log.append(item);
  }

  if (r.name !== page.current) {
    r.unread++;
    renderRooms();
  } else {
    scrollDown();
  }
}

function notice(r, text, m) {
  const item = document.createElement("div");
  item.className = "notice";
  if (m) {
    item.dataset.offset = m.offset;
  }

  item.textContent = text;
  r.log.append(item);
}

function avatar(name) {
  const el = document.createElement("span");
  el.className = "avatar avatar-" + colour(name);
  el.textContent = [...name][0]?.toUpperCase() ?? "?";
  el.title = name;
  return el;
}

function colour(name) {
  let hash = 0;
  for (const c of name) {
    hash = (hash * 31 + c.codePointAt(0)) | 0;
  }

  return Math.abs(hash) % AVATAR_COLOURS;
}

function setMembers(r, members) {
  r.members = members;
  if (r.name === page.current) {
    renderMembers(r);
  }
}

function renderMembers(r) {
  $("members").replaceChildren(...r.members.map((name) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = name;
    li.append(avatar(name), label);
    return li;
  }));
  $("member-count").textContent = `(${r.members.length})`;
}

function renderRooms() {
  $("rooms").replaceChildren(...[...page.rooms.values()].map((r) => {
    const li = document.createElement("li");
    li.className = r.name === page.current ? "active" : "";
    const label = document.createElement("span");
    label.textContent = "# " + r.name;
    li.append(label);
    if (r.unread > 0) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = String(r.unread);
      li.append(badge);
    }

    li.addEventListener("click", () => select(r.name));
    return li;
  }));
}

function scrollDown() {
  const el = $("messages");
  el.scrollTop = el.scrollHeight;
}

function showError(e) {
  $("send-error").textContent = e?.reason ?? String(e?.message ?? e);
}

// ---- Forms ----------------------------------------------------------------------------------------------------

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $("name").value.trim();
  if (!name) {
    return;
  }

  $("me").textContent = name;
  $("login-error").textContent = "";
  $("login").hidden = true;
  $("chat").hidden = false;
  await connect(name);
});

$("room-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $("room-name").value.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    $("send-error").textContent = "A room name is 1-64 letters, digits, - or _.";
    return;
  }

  $("room-name").value = "";
  $("send-error").textContent = "";
  await joinRoom(name);
});

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("message");
  const text = input.value;
  if (!text.trim()) {
    return;
  }

  $("send-error").textContent = "";
  try {
    await page.chat.send(page.current, text);
    input.value = "";
  } catch (e) {
    showError(e); // kept in the input: it was not sent (or not confirmed)
  }
});
