// Browser client of /hub/chat. It keeps, per room, the epoch and the last offset it has shown: duplicates are
// ignored by offset, and after any reconnect it resumes from there (Join with since), so nothing is missed
// or shown twice. All text goes through textContent: messages can never inject HTML.
"use strict";

(() => {
  const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
  const $ = (id) => document.getElementById(id);

  const state = {
    user: null,
    current: "public",
    rooms: new Map(), // name -> room
    connection: null,
    starting: null,
  };

  // ---- Rooms ----------------------------------------------------------------------------------------------

  function room(name) {
    let r = state.rooms.get(name);
    if (!r) {
      const log = document.createElement("div");
      log.className = "room-log";
      log.dataset.room = name;
      log.hidden = name !== state.current;
      $("messages").append(log);
      r = { name, epoch: null, offset: 0, syncing: false, buffer: [], members: [], unread: 0, log };
      state.rooms.set(name, r);
      renderRooms();
    }
    return r;
  }

  // A message is shown once: it must be the next offset of the room's epoch (or start a new epoch).
  function accept(r, m) {
    if (r.epoch === m.epoch && m.offset <= r.offset) {
      return; // seen already (history, resumed gap and live delivery may overlap)
    }
    if (r.epoch !== null && r.epoch !== m.epoch) {
      notice(r, "The room's history was reset on the server.");
    } else if (r.epoch === m.epoch && m.offset > r.offset + 1) {
      // A gap: fetch what is missing first, then show this one.
      r.buffer.push(m);
      sync(r);
      return;
    }
    r.epoch = m.epoch;
    r.offset = m.offset;
    render(r, m);
  }

  function acceptAll(r, messages) {
    for (const m of messages) {
      accept(r, m);
    }
  }

  function onLive(m) {
    const r = room(m.room);
    if (r.syncing) {
      r.buffer.push(m); // shown after the Join result, in offset order
    } else {
      accept(r, m);
    }
  }

  // (Re)subscribes a room on the current connection: Join with the last offset if there is one (what was missed,
  // then live) and the name's reconnection secret (the server holds the name for it while the page reconnects).
  async function sync(r) {
    if (r.syncing) {
      return;
    }
    r.syncing = true;
    try {
      const since = r.epoch ? { epoch: r.epoch, offset: r.offset } : null;
      const joined = await state.connection.invoke("Join", r.name, state.user, since, state.secret ?? null);
      state.secret = state.secret ?? joined.reconnectSecret;
      acceptAll(r, joined.history);
      setMembers(r, joined.members);
      showReplica(joined.replica);
    } finally {
      r.syncing = false;
      const buffered = r.buffer.sort((a, b) => a.offset - b.offset);
      r.buffer = [];
      acceptAll(r, buffered);
    }
  }

  async function joinRoom(name) {
    const r = room(name);
    select(name);
    if (state.connection?.state === signalR.HubConnectionState.Connected) {
      try {
        await sync(r);
      } catch (e) {
        showError("send-error", e);
      }
    }
  }

  function select(name) {
    state.current = name;
    const r = room(name);
    r.unread = 0;
    for (const other of state.rooms.values()) {
      other.log.hidden = other !== r;
    }
    renderRooms();
    renderMembers(r);
    scrollDown();
    $("message").focus();
  }

  // ---- Connection -----------------------------------------------------------------------------------------

  function connect() {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl("hub/chat")
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => retryDelay(ctx.previousRetryCount) })
      .build();
    connection.on("message", onLive);
    connection.on("presence", (p) => setMembers(room(p.room), p.members));
    // The server asks us to move (rebalancing, drain): close and connect again, we resume where we were.
    connection.on("reconnect", () => connection.stop());
    connection.onreconnecting(() => setState("reconnecting"));
    connection.onreconnected(() => resumeAll());
    connection.onclose(() => {
      setState("offline");
      setTimeout(start, retryDelay(0));
    });
    state.connection = connection;
  }

  function retryDelay(attempt) {
    return Math.min(500 * 2 ** attempt, 8000) + Math.random() * 300;
  }

  async function start() {
    if (state.starting || state.connection.state !== signalR.HubConnectionState.Disconnected) {
      return;
    }
    setState("connecting");
    state.starting = state.connection.start();
    try {
      await state.starting;
      await resumeAll();
    } catch (e) {
      setState("offline");
      setTimeout(start, retryDelay(1));
    } finally {
      state.starting = null;
    }
  }

  async function resumeAll() {
    setState("connected");
    for (const r of state.rooms.values()) {
      try {
        await sync(r);
      } catch (e) {
        showError("send-error", e);
      }
    }
  }

  function setState(s) {
    const el = $("state");
    el.textContent = s;
    el.className = "state state-" + s;
    $("send-button").disabled = s !== "connected";
  }

  function showReplica(replica) {
    const el = $("replica");
    el.textContent = "replica " + replica;
    el.hidden = false;
  }

  // ---- Rendering ------------------------------------------------------------------------------------------

  function render(r, m) {
    if (m.type === "JOIN" || m.type === "LEAVE") {
      notice(r, `${m.sender} ${m.type === "JOIN" ? "joined" : "left"}`, m);
    } else {
      const item = document.createElement("div");
      item.className = "message" + (m.sender === state.user ? " mine" : "");
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
    if (r.name !== state.current) {
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
    el.className = "avatar";
    el.textContent = [...name][0]?.toUpperCase() ?? "?";
    el.style.background = colour(name);
    el.title = name;
    return el;
  }

  function colour(name) {
    let hash = 0;
    for (const c of name) {
      hash = (hash * 31 + c.codePointAt(0)) | 0;
    }
    return `hsl(${Math.abs(hash) % 360}, 60%, 45%)`;
  }

  function setMembers(r, members) {
    r.members = members;
    if (r.name === state.current) {
      renderMembers(r);
    }
  }

  function renderMembers(r) {
    const list = $("members");
    list.replaceChildren(...r.members.map((name) => {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = name;
      li.append(avatar(name), label);
      return li;
    }));
    $("member-count").textContent = `(${r.members.length})`;
  }

  function renderRooms() {
    $("rooms").replaceChildren(...[...state.rooms.values()].map((r) => {
      const li = document.createElement("li");
      li.className = r.name === state.current ? "active" : "";
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

  function showError(id, e) {
    const text = String(e?.message ?? e);
    // HubException messages arrive as "... HubException: <the server's message>".
    $(id).textContent = text.includes("HubException: ") ? text.slice(text.indexOf("HubException: ") + 14) : text;
  }

  // ---- Forms ----------------------------------------------------------------------------------------------

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("name").value.trim();
    if (!name) {
      return;
    }
    state.user = name;
    $("me").textContent = name;
    $("login").hidden = true;
    $("chat").hidden = false;
    room("public");
    select("public");
    await start();
  });

  $("room-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("room-name").value.trim();
    if (!ROOM_PATTERN.test(name)) {
      $("send-error").textContent = "A room name is 1-64 letters, digits, - or _.";
      return;
    }
    $("room-name").value = "";
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
      await state.connection.invoke("Send", state.current, text);
      input.value = "";
    } catch (e) {
      showError("send-error", e); // kept in the input: nothing was sent
    }
  });

  connect();
})();
