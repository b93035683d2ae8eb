// Live updates: one feed of the event log for the whole dashboard.
//
// It opens the WebSocket at /api/v1/ws with a single-use ticket (POST /api/v1/ws-tickets),
// subscribes to job, queue and worker events, and hands each event to the pages that listen.
// After a drop (network, server restart, 4008 for a slow reader) it reconnects with a new ticket
// and resumes with `after` = the last event id it saw, so nothing is missed or seen twice. When the
// socket cannot be used at all (a proxy or browser refuses it) it long-polls GET /api/v1/events
// instead, with the same resume position. Pages also hear "resync" when they must list again:
// at the first subscription (events between their first fetch and the subscription) and when the
// resume position has expired (410 EVENT_CURSOR_EXPIRED).

import { ApiError, apiUrl, get, post, refresh, tokenGeneration } from "./api.js";

// schedule and workflow events exist on servers that have those resources; elsewhere none come
const TYPES = ["job.", "queue.", "worker.", "schedule.", "workflow."];
const SOCKET_FAILURES_BEFORE_POLLING = 3;

export function createLive(onState) {
  const listeners = new Set();
  let lastId = null;
  let socket = null;
  let stopped = false;
  let failures = 0;
  let everWelcomed = false;
  let retryTimer = null;
  let poller = null;
  let state = "connecting";

  function setState(next) {
    state = next;
    onState(next);
  }

  function emit(message) {
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.warn("live listener failed", error);
      }
    }
  }

  function retryLater() {
    if (stopped) return;
    failures += 1;
    if (!everWelcomed && failures >= SOCKET_FAILURES_BEFORE_POLLING) {
      poll();
      return;
    }
    setState("reconnecting");
    const delay = Math.min(10000, 500 * 2 ** Math.min(failures - 1, 5));
    retryTimer = setTimeout(connect, delay);
  }

  function subscribe() {
    // batched: after a busy moment the page catches up in one frame, not one per event
    const message = { type: "subscribe", id: "ui", batch: true, filters: { type: TYPES } };
    if (lastId !== null) message.after = lastId;
    socket.send(JSON.stringify(message));
  }

  async function connect() {
    if (stopped) return;
    setState(failures ? "reconnecting" : "connecting");
    let ticket;
    try {
      ({ ticket } = await post("api/v1/ws-tickets"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return; // the session ended
      retryLater();
      return;
    }
    if (stopped) return;
    const url = apiUrl("api/v1/ws", { ticket });
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    try {
      socket = new WebSocket(url);
    } catch {
      retryLater(); // refused outright (a policy): count it, then poll
      return;
    }
    const current = socket;
    const openedWith = tokenGeneration();
    current.onmessage = (raw) => {
      let message;
      try {
        message = JSON.parse(raw.data);
      } catch {
        return;
      }
      if (message.type === "welcome") {
        everWelcomed = true;
        if (lastId === null) lastId = message.last_event_id;
        subscribe();
      } else if (message.type === "subscribed") {
        failures = 0;
        setState("live");
        if (message.after !== undefined && lastId === null) lastId = message.after;
        if (!current.resynced) {
          current.resynced = true;
          emit({ type: "resync" });
        }
      } else if (message.type === "events") {
        for (const event of message.events) {
          lastId = event.id;
          emit(event);
        }
      } else if (message.type === "event") {
        lastId = message.event.id;
        emit(message.event);
      } else if (message.type === "error" && message.code === "EVENT_CURSOR_EXPIRED") {
        // the resume position is older than the log keeps: follow from now, and list again
        lastId = null;
        current.send(JSON.stringify({ type: "subscribe", id: "ui", batch: true, filters: { type: TYPES } }));
        emit({ type: "resync" });
      }
    };
    current.onclose = async (event) => {
      if (socket === current) socket = null;
      if (stopped) return;
      if ((event.code === 4001 || event.code === 4002) && tokenGeneration() === openedWith) {
        // the token it was opened with ended (a renewed one would simply reconnect): renew it
        // once, else the session is over
        try {
          await refresh();
        } catch {
          return;
        }
      }
      retryLater();
    };
  }

  async function poll() {
    setState("polling");
    const controller = new AbortController();
    poller = controller;
    let first = true;
    while (!stopped && poller === controller) {
      try {
        if (lastId === null) {
          // an `after` beyond the log's end answers at once with the newest id: follow from there
          const head = await get("api/v1/events", { after: 10 ** 15, limit: 1 }, { signal: controller.signal, cache: "no-store" });
          lastId = head.last_event_id;
        }
        if (first) {
          first = false;
          emit({ type: "resync" });
        }
        const page = await get(
          "api/v1/events",
          { after: lastId, type: TYPES, wait_seconds: 20, limit: 100 },
          { signal: controller.signal, cache: "no-store" },
        );
        for (const event of page.data) emit(event);
        lastId = page.last_event_id;
      } catch (error) {
        if (error.name === "AbortError" || stopped) return;
        if (error instanceof ApiError && error.status === 401) return;
        if (error instanceof ApiError && error.code === "EVENT_CURSOR_EXPIRED") {
          lastId = null;
          first = true; // list again, then follow from the newest event
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    }
  }

  return {
    get state() {
      return state;
    },
    start() {
      stopped = false;
      connect();
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      if (poller) poller.abort();
      poller = null;
      if (socket) socket.close(1000, "logged out");
      socket = null;
      listeners.clear();
    },
    // listen(fn) → unlisten; fn gets each event, or {type: "resync"}
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
