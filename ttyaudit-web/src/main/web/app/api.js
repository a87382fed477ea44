// The server's own API (/api/v1, openapi.yaml), with the login session cookie the server sets at log in.
// Same origin only: the cookie is SameSite=Strict and HttpOnly, so this code never sees the secret.

/** A refused request: the HTTP status and the server's message ({"error": "..."}). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** 401: no login session (never logged in, logged out, expired). */
  get unauthenticated() {
    return this.status === 401;
  }

  /** 403 or 404: the server answers a session one may not see like one that does not exist. */
  get deniedOrMissing() {
    return this.status === 403 || this.status === 404;
  }
}

async function request(method, path, body, accept = 'application/json') {
  const init = {method, credentials: 'same-origin', headers: {Accept: accept}, cache: 'no-store'};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `the server cannot be reached (${e.message})`);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const json = await response.json();
      if (json && typeof json.error === 'string') {
        message = json.error;
      }
    } catch (ignored) {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

/** Query string of the non-empty parameters. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function getJson(path) {
  return (await request('GET', path)).json();
}

export async function getText(path, accept) {
  return (await request('GET', path, undefined, accept)).text();
}

/** POST, PATCH or DELETE; answers the JSON body, or null for an empty one (204). */
export async function send(method, path, body) {
  const response = await request(method, path, body);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const sessionPath = (id) => `/api/v1/sessions/${encodeURIComponent(id)}`;
