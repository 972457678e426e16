// The chat's browser client module: see ChatClient. Built into one ES module (dist/chat-client.js) for the pages.
export { ChatClient } from "./chat-client.js";
export { ChatError } from "./chat-error.js";
