// The Spring chat demo's page on the browser client module (lib/chat-client) over STOMP: subscribe to
// /topic/public, announce with /app/chat.addUser, chat with /app/chat.sendMessage; ?room=name uses
// /topic/room/name and /app/room/name/... instead. The module reconnects after any close (a 1012 when the server
// rebalances, a dropped socket) and resubscribes from the last x-epoch/x-offset: nothing lost, nothing twice.
// On a Jwt server the sign-in comes from ../js/auth.js (dev tokens, refreshed in band by the module).
import { ChatClient } from "../lib/chat-client/chat-client.js";
import { signInOptions } from "../js/auth.js";

const usernamePage = document.querySelector("#username-page");
const chatPage = document.querySelector("#chat-page");
const usernameForm = document.querySelector("#usernameForm");
const messageForm = document.querySelector("#messageForm");
const messageInput = document.querySelector("#message");
const messageArea = document.querySelector("#messageArea");
const connectingElement = document.querySelector(".connecting");
const header = document.querySelector(".chat-header");

const room = new URLSearchParams(location.search).get("room") || "public";
const AVATAR_COLOURS = 8;

let chat = null;

async function connect(event) {
  event.preventDefault();
  const username = document.querySelector("#name").value.trim();
  if (!username) {
    return;
  }

  usernamePage.classList.add("hidden");
  chatPage.classList.remove("hidden");
  if (room !== "public") {
    document.querySelector("#room-title").textContent = `Room ${room}`;
  }

  let signIn;
  try {
    signIn = await signInOptions(username);
  } catch (error) {
    showConnecting(error.message, true);
    return;
  }

  chat = new ChatClient({ user: username, protocol: "stomp", ...signIn });
  chat.on("message", onMessageReceived);
  chat.on("state", onState);
  chat.on("error", (error) => showConnecting(error.reason, true));
  chat.start();
  try {
    await chat.join(room);
  } catch (error) {
    showConnecting(error.reason ?? "Could not connect to the chat server. Please refresh this page to try again!", true);
  }
}

function onState({ state, replica, reason }) {
  if (replica) {
    header.title = `replica ${replica}`;
    header.dataset.replica = replica;
  }

  if (state === "connected") {
    connectingElement.classList.add("hidden");
  } else if (state === "reconnecting") {
    showConnecting(reason ? `Reconnecting... (${reason})` : "Reconnecting...", false);
  }
}

function showConnecting(text, failed) {
  connectingElement.textContent = text;
  connectingElement.classList.toggle("failed", failed);
  connectingElement.classList.remove("hidden");
}

async function sendMessage(event) {
  event.preventDefault();
  const content = messageInput.value.trim();
  if (content && chat?.state === "connected") {
    messageInput.value = "";
    try {
      await chat.send(room, content);
    } catch (error) {
      messageInput.value = content; // not sent (or not confirmed): keep it
      showConnecting(error.reason, true);
    }
  }
}

function onMessageReceived(message) {
  const messageElement = document.createElement("li");
  messageElement.dataset.offset = String(message.offset);
  if (message.type === "JOIN" || message.type === "LEAVE") {
    messageElement.classList.add("event-message");
    messageElement.textContent = `${message.sender} ${message.type === "JOIN" ? "joined!" : "left!"}`;
  } else {
    messageElement.classList.add("chat-message");
    const avatarElement = document.createElement("i");
    avatarElement.textContent = message.sender[0];
    avatarElement.className = `avatar-${getAvatarColor(message.sender)}`;
    const usernameElement = document.createElement("span");
    usernameElement.textContent = message.sender;
    const textElement = document.createElement("p");
    textElement.textContent = message.content;
    messageElement.append(avatarElement, usernameElement, textElement);
  }

  messageArea.appendChild(messageElement);
  messageArea.scrollTop = messageArea.scrollHeight;
}

function getAvatarColor(sender) {
  let hash = 0;
  for (let i = 0; i < sender.length; i++) {
    hash = 31 * hash + sender.charCodeAt(i);
  }

  return Math.abs(hash % AVATAR_COLOURS);
}

usernameForm.addEventListener("submit", connect, true);
messageForm.addEventListener("submit", sendMessage, true);
