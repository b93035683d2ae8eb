// The dashboard's entry point: the login form, the header and navigation, and a hash router that
// mounts one page module at a time. A page module exports `mount(view, context)` and may return a
// function that unmounts it (stop timers, stop listening to live events). Routes are hashes
// (`#/jobs?status=running`), so the server serves one document and a reload keeps the view.

import * as api from "./api.js";
import { $, banner, h, replace, tickTimes } from "./dom.js";
import { createLive } from "./live.js";
import * as jobPage from "./pages/job.js";
import * as jobsPage from "./pages/jobs.js";
import * as queuesPage from "./pages/queues.js";
import * as schedulesPage from "./pages/schedules.js";
import * as templatePage from "./pages/template.js";
import * as templatesPage from "./pages/templates.js";
import * as workersPage from "./pages/workers.js";
import * as workflowPage from "./pages/workflow.js";
import * as workflowsPage from "./pages/workflows.js";

const ROUTES = [
  { pattern: /^\/jobs$/, page: jobsPage, nav: "jobs" },
  { pattern: /^\/jobs\/([^/]+)$/, page: jobPage, nav: "jobs" },
  { pattern: /^\/queues$/, page: queuesPage, nav: "queues" },
  { pattern: /^\/workers$/, page: workersPage, nav: "workers" },
  { pattern: /^\/schedules$/, page: schedulesPage, nav: "schedules" },
  { pattern: /^\/workflows$/, page: workflowsPage, nav: "workflows" },
  { pattern: /^\/workflows\/([^/]+)$/, page: workflowPage, nav: "workflows" },
  { pattern: /^\/templates$/, page: templatesPage, nav: "templates" },
  { pattern: /^\/templates\/([^/]+)$/, page: templatePage, nav: "templates" },
];

const NAV = [
  { id: "jobs", label: "Jobs", href: "#/jobs" },
  { id: "queues", label: "Queues", href: "#/queues" },
  { id: "workers", label: "Workers", href: "#/workers", scope: "workers:read" },
  { id: "schedules", label: "Schedules", href: "#/schedules", path: "/api/v1/schedules" },
  { id: "workflows", label: "Workflows", href: "#/workflows", path: "/api/v1/workflows" },
  { id: "templates", label: "Templates", href: "#/templates", scope: "templates:read", path: "/api/v1/templates" },
];

const main = $("#main");
let live = null;
let unmount = null;
let ticker = null;
let flash = null; // a message for the next page (e.g. "job deleted")

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/jobs";
  const [path, search = ""] = raw.split("?", 2);
  return { path: path || "/jobs", query: new URLSearchParams(search) };
}

export function navigate(hash, message) {
  flash = message || null;
  if (location.hash === hash) route();
  else location.hash = hash;
}

function setLiveState(state) {
  const node = $("#live");
  const text = { live: "live", polling: "live (polling)", connecting: "connecting", reconnecting: "reconnecting" };
  node.textContent = text[state] || state;
  node.dataset.state = state;
  node.title =
    state === "live"
      ? "Updates arrive over the event WebSocket"
      : state === "polling"
        ? "The WebSocket is unavailable; updates arrive by long-polling the event list"
        : "Waiting for the event stream";
}

function renderNav(current) {
  const nav = $("#nav");
  replace(
    nav,
    h(
      "ul",
      null,
      NAV.filter((item) => (!item.scope || api.can(item.scope)) && (!item.path || api.offers(item.path))).map((item) =>
        h(
          "li",
          null,
          h("a", { href: item.href, "aria-current": item.id === current ? "page" : undefined }, item.label),
        ),
      ),
    ),
  );
}

async function route() {
  if (!api.currentUser()) return;
  if (unmount) {
    try {
      unmount();
    } catch (error) {
      console.warn("unmount failed", error);
    }
    unmount = null;
  }
  const { path, query } = parseHash();
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  const view = h("div", { class: "page" });
  replace(main, view);
  if (flash) {
    view.append(banner("info", flash));
    flash = null;
  }
  if (!match) {
    renderNav(null);
    view.append(h("h1", null, "Not found"), h("p", null, "No page here. ", h("a", { href: "#/jobs" }, "Go to jobs.")));
    return;
  }
  renderNav(match.r.nav);
  const context = { params: match.m.slice(1).map(decodeURIComponent), query, live, navigate };
  try {
    unmount = (await match.r.page.mount(view, context)) || null;
  } catch (error) {
    view.append(banner("error", error.describe ? error.describe() : String(error)));
  }
  const heading = view.querySelector("h1");
  if (heading) {
    // a screen reader announces the new view; keyboard focus starts at its top
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  document.title = heading ? `${heading.textContent} · Baton` : "Baton";
}

function showLogin(reason) {
  if (unmount) {
    unmount();
    unmount = null;
  }
  if (live) live.stop();
  live = null;
  clearInterval(ticker);
  $("#top").hidden = true;
  document.title = "Log in · Baton";
  const error = h("div", { class: "messages", id: "login-error" });
  if (reason) error.append(banner("info", reason));
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "primary" }, "Log in");
  const form = h(
    "form",
    { class: "login card", method: "post", novalidate: false },
    h("h1", null, h("img", { src: "ui/favicon.svg", alt: "", width: "28", height: "28" }), " Baton"),
    h("p", { class: "muted" }, "Log in with your Baton account."),
    error,
    h("label", { for: "username" }, "Username"),
    username,
    h("label", { for: "password" }, "Password"),
    password,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.replaceChildren();
    try {
      await api.login(username.value, password.value);
      password.value = "";
      await start();
    } catch (failure) {
      const text =
        failure instanceof api.ApiError
          ? failure.status === 401
            ? "Wrong username or password."
            : failure.describe()
          : "The server cannot be reached.";
      error.append(banner("error", text));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, h("div", { class: "login-wrap" }, form));
  username.focus();
}

async function start() {
  await api.discover();
  const user = api.currentUser();
  $("#who").textContent = `${user.username} (${user.role})`;
  $("#top").hidden = false;
  live = createLive(setLiveState);
  live.start();
  ticker = setInterval(() => tickTimes(main), 5000);
  await route();
}

function boot() {
  window.addEventListener("hashchange", route);
  $("#logout").addEventListener("click", async () => {
    await api.logout();
  });
  api.onSessionEnded((reason) => showLogin(reason));
  showLogin(null);
}

boot();
