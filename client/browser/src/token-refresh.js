/** The `exp` of a JWT (seconds since the epoch), or null when the token has none or is not a JWT. */
export function expiryOf(token) {
  const payload = typeof token === "string" ? token.split(".")[1] : undefined;
  if (!payload) {
    return null;
  }

  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const exp = JSON.parse(atob(base64)).exp;
    return Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

/**
 * When to present the next token: 30 s before it expires or at three quarters of its remaining life, whichever
 * comes first, but not before half of it (short-lived tokens), so a slow answer or a small clock skew still beats it.
 */
export function refreshDelayMs(token, now = Date.now()) {
  const exp = expiryOf(token);
  if (exp === null) {
    return null;
  }

  const left = exp * 1000 - now;
  return Math.max(0, left * 0.5, Math.min(left * 0.75, left - 30_000));
}

/**
 * Keeps one connection's token fresh in band: before `current` expires it asks `accessToken()` for a new one and
 * hands it to `present(token)` (the hub's RefreshToken, STOMP's /app/token.refresh). When getting or presenting a
 * token fails, `refused(error)` ends the connection: the client then connects again with a new token.
 * Returns a function that stops it.
 */
export function keepTokenFresh(current, { accessToken, present, refused }) {
  let timer = null;
  let stopped = false;
  const schedule = (token) => {
    const delay = refreshDelayMs(token);
    if (delay !== null && !stopped) {
      timer = setTimeout(() => void refresh(), delay);
    }
  };
  const refresh = async () => {
    try {
      const token = await accessToken();
      if (stopped) {
        return;
      }

      await present(token);
      schedule(token);
    } catch (error) {
      if (!stopped) {
        refused(error);
      }
    }
  };

  schedule(current);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
