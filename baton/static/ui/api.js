// The API client of the dashboard: the session (tokens in memory only), requests with the bearer
// token, problem+json errors, refresh before expiry, and what the server offers (from its spec).
//
// Tokens live in this module's variables and nowhere else: not in a cookie (the API reads only the
// Authorization header, which a browser never adds by itself, so there is no CSRF surface), not in
// localStorage or sessionStorage (which any script of this origin could read later, Swagger UI's
// page at /docs included). A reload therefore asks to log in again; the view (the hash) is kept.

const ROOT = new URL(".", document.baseURI); // the folder of /ui: the API is beside it

export function apiUrl(path, query) {
  const url = new URL(path.replace(/^\//, ""), ROOT);
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url;
}

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = (problem && (problem.detail || problem.title)) || `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.code = (problem && problem.code) || null;
    this.detail = detail;
    this.errors = (problem && problem.errors) || [];
    this.requestId = (problem && problem.request_id) || null;
  }

  // one line for people: the detail, each field error, and the code to look up
  describe() {
    const fields = this.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    return [this.detail, fields].filter(Boolean).join(" — ") + (this.code ? ` (${this.code})` : "");
  }
}

let session = null; // {access, refresh, expiresAt, user, timer}
let generation = 0; // bumped with each new access token
let refreshing = null; // the one refresh in flight: refresh tokens rotate, a reuse ends the session
const endedListeners = new Set();

export function onSessionEnded(listener) {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

export function currentUser() {
  return session && session.user;
}

export function can(scope) {
  return Boolean(session && session.user && session.user.scopes.includes(scope));
}

async function parse(response) {
  const type = response.headers.get("content-type") || "";
  if (response.status === 204 || response.status === 304) return null;
  if (type.includes("json")) return response.json();
  return response.text();
}

async function fail(response) {
  let problem = null;
  try {
    problem = await parse(response);
  } catch {
    problem = null;
  }
  return new ApiError(response.status, typeof problem === "object" ? problem : null);
}

// which access token is current: a socket opened with an older one may just reconnect
export function tokenGeneration() {
  return generation;
}

function adopt(pair) {
  generation += 1;
  if (session && session.timer) clearTimeout(session.timer);
  const lifetime = Math.max(30, Number(pair.expires_in) || 900);
  session = {
    ...(session || {}),
    access: pair.access_token,
    refresh: pair.refresh_token,
    expiresAt: Date.now() + lifetime * 1000,
  };
  // renew at four fifths of the lifetime, so a request never races the expiry
  session.timer = setTimeout(() => refresh().catch(() => {}), lifetime * 800);
}

function end(reason) {
  if (!session) return;
  if (session.timer) clearTimeout(session.timer);
  session = null;
  for (const listener of endedListeners) listener(reason);
}

export async function login(username, password) {
  const response = await fetch(apiUrl("api/v1/auth/login"), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ username, password }),
    cache: "no-store",
  });
  if (!response.ok) throw await fail(response);
  session = null;
  adopt(await response.json());
  try {
    session.user = await request("api/v1/auth/me");
  } catch (error) {
    session = null;
    throw error;
  }
  return session.user;
}

export function refresh() {
  if (!session) return Promise.reject(new ApiError(401, { detail: "Not logged in" }));
  if (!refreshing) {
    const token = session.refresh;
    refreshing = (async () => {
      const response = await fetch(apiUrl("api/v1/auth/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_token: token }),
        cache: "no-store",
      });
      if (!response.ok) {
        const error = await fail(response);
        if (response.status === 401) end("Your session ended; log in again.");
        throw error;
      }
      if (session) adopt(await response.json());
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

export async function logout() {
  const token = session && session.access;
  end(null);
  if (!token) return;
  try {
    await fetch(apiUrl("api/v1/auth/logout"), {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      cache: "no-store",
    });
  } catch {
    // the tokens are gone from this page either way
  }
}

// request(path, {method, query, body, headers, signal, raw}) → parsed body (or the Response when raw)
export async function request(path, options = {}) {
  const { method = "GET", query, body, headers = {}, signal, raw = false, cache } = options;
  for (let attempt = 0; ; attempt++) {
    if (!session) throw new ApiError(401, { detail: "Not logged in", code: "UNAUTHORIZED" });
    if (refreshing) await refreshing.catch(() => {});
    const init = {
      method,
      signal,
      headers: { Accept: "application/json", ...headers, Authorization: `Bearer ${session.access}` },
    };
    if (cache) init.cache = cache;
    if (body !== undefined) {
      init.headers["Content-Type"] = init.headers["Content-Type"] || "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(apiUrl(path, query), init);
    if (response.status === 401 && attempt === 0 && session && session.refresh) {
      // an expired or revoked access token: one refresh, then the same request again
      try {
        await refresh();
        continue;
      } catch {
        throw await fail(response);
      }
    }
    if (response.status === 401) {
      const error = await fail(response);
      end("Your session ended; log in again.");
      throw error;
    }
    if (raw) {
      if (!response.ok && response.status !== 304) throw await fail(response);
      return response;
    }
    if (!response.ok) throw await fail(response);
    const data = await parse(response);
    const etag = response.headers.get("etag");
    if (etag && data && typeof data === "object") Object.defineProperty(data, "etag", { value: etag });
    return data;
  }
}

export const get = (path, query, options = {}) => request(path, { ...options, query });
export const post = (path, body, options = {}) => request(path, { ...options, method: "POST", body });

// A fresh Idempotency-Key per action: a retried request cannot act twice. crypto.randomUUID needs
// a secure context; getRandomValues does not.
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// What this server offers, read from its OpenAPI document: which resources exist (schedules and
// workflows are newer than some servers), the job statuses and the list's sort keys.
let capabilities = null;

export async function discover() {
  if (capabilities) return capabilities;
  const found = { paths: new Set(), jobStatuses: null, sortKeys: null };
  try {
    const response = await fetch(apiUrl("openapi.json"), { headers: { Accept: "application/json" } });
    if (response.ok) {
      const spec = await response.json();
      for (const path of Object.keys(spec.paths || {})) found.paths.add(path);
      const schemas = (spec.components && spec.components.schemas) || {};
      if (schemas.JobStatus && Array.isArray(schemas.JobStatus.enum)) found.jobStatuses = schemas.JobStatus.enum;
      const list = spec.paths["/api/v1/jobs"] && spec.paths["/api/v1/jobs"].get;
      const sort = list && (list.parameters || []).find((p) => p.name === "sort");
      const keys = sort && sort.schema && sort.schema.items && sort.schema.items.enum;
      if (Array.isArray(keys)) found.sortKeys = keys.filter((key) => !key.startsWith("-"));
    }
  } catch {
    // without the spec every page is tried, and a 404 says what is missing
  }
  capabilities = found;
  return found;
}

export function offers(path) {
  // unknown (spec unreadable): assume yes and let the request tell
  return !capabilities || capabilities.paths.size === 0 || capabilities.paths.has(path);
}

export function jobStatuses() {
  return (
    (capabilities && capabilities.jobStatuses) || [
      "waiting",
      "scheduled",
      "pending",
      "running",
      "completed",
      "failed",
      "cancelled",
      "timed_out",
    ]
  );
}

export function sortKeys() {
  return (capabilities && capabilities.sortKeys) || ["created_at", "updated_at", "run_at", "priority", "name"];
}
