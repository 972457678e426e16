// How the pages get their identity: GET /auth/config says the server's mode. Anonymous: the typed name is the name.
// Jwt with dev tokens (local runs): a token for the typed name from POST /auth/dev-token, again for every connection
// attempt and every refresh. Jwt without them: the token must come from the site's identity provider, which these
// demo pages do not talk to, so they say so.

/** Thrown when the page cannot sign in; `message` is meant for the user. */
export class SignInError extends Error {}

/** The ChatClient options for `name` on this server: {} or {accessToken}. Fails with a SignInError. */
export async function signInOptions(name) {
  const config = await readConfig();
  if (config.mode !== "Jwt") {
    return {};
  }

  if (!config.devTokens) {
    throw new SignInError(
      "This chat server requires a sign-in token (JWT) from the site's identity provider. " +
      "This page has no such sign-in; ask the site's operator, or for a local run enable Chat:Auth:Jwt:DevTokens.");
  }

  const accessToken = () => devToken(name);
  await accessToken(); // a refused name is told at once, on the name form
  return { accessToken };
}

async function readConfig() {
  const response = await fetch("/auth/config", { cache: "no-store" });
  if (!response.ok) {
    throw new SignInError(`The chat server's sign-in settings are unavailable (${response.status}).`);
  }

  return response.json();
}

async function devToken(name) {
  const response = await fetch(`/auth/dev-token?name=${encodeURIComponent(name)}`, { method: "POST", cache: "no-store" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new SignInError(body.error ?? `No token for '${name}' (${response.status}).`);
  }

  return body.accessToken;
}
