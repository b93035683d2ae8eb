// Small DOM helpers. Everything the server sends is put on the page as text (textContent or
// attribute values), never as HTML, so no job name or log line can inject markup.

export function h(tag, attrs, ...children) {
  const svg = tag.startsWith("svg:");
  const node = svg
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && !svg && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);

// ---- time and numbers ------------------------------------------------------------------------

export function parseTime(value) {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function ago(ms, now = Date.now()) {
  const seconds = Math.round((now - ms) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text;
  if (s < 5) return future ? "in a moment" : "just now";
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86400) text = `${Math.floor(s / 3600)} h`;
  else text = `${Math.floor(s / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

// a <time> that the page's ticker keeps relative ("12 s ago"), with the exact time as its title
export function time(value) {
  const ms = parseTime(value);
  if (ms === null) return h("span", { class: "muted" }, "—");
  const exact = new Date(ms).toLocaleString();
  return h("time", { datetime: value, title: exact, class: "rel", dataset: { ts: String(ms) } }, ago(ms));
}

export function tickTimes(root = document) {
  const now = Date.now();
  for (const node of root.querySelectorAll("time.rel")) node.textContent = ago(Number(node.dataset.ts), now);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function between(start, end) {
  const a = parseTime(start);
  if (a === null) return null;
  const b = end ? parseTime(end) : Date.now();
  return b === null ? null : Math.max(0, (b - a) / 1000);
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// ---- pieces of pages -----------------------------------------------------------------------

export const LIVE_STATUSES = new Set(["waiting", "scheduled", "pending", "running"]);

export function badge(status, title) {
  const text = String(status || "unknown");
  return h("span", { class: ["badge", `st-${text.replace(/[^a-z_]/g, "")}`], title }, text.replace(/_/g, " "));
}

export function banner(kind, ...content) {
  return h("p", { class: ["banner", kind], role: kind === "error" ? "alert" : "status" }, ...content);
}

export function errorBanner(error) {
  if (error && typeof error.describe === "function") return banner("error", error.describe());
  return banner("error", (error && error.message) || String(error));
}

// a message area: show(error or text) / clear()
export function messages() {
  const node = h("div", { class: "messages" });
  return {
    node,
    error(error) {
      replace(node, errorBanner(error));
    },
    info(text) {
      replace(node, banner("info", text));
    },
    clear() {
      node.replaceChildren();
    },
  };
}

// a table that becomes a list of cards on a narrow screen (each cell shows its column's name)
export function table(columns, rows, options = {}) {
  const head = h("thead", null, h("tr", null, columns.map((c) => h("th", { scope: "col", class: c.class }, c.label))));
  const body = h("tbody");
  for (const row of rows) body.append(tableRow(columns, row, options));
  if (!rows.length && options.empty) {
    body.append(h("tr", { class: "empty" }, h("td", { colspan: String(columns.length) }, options.empty)));
  }
  return h("div", { class: "table-wrap" }, h("table", { class: ["rows", options.class] }, head, body));
}

export function tableRow(columns, row, options = {}) {
  const tr = h("tr", { dataset: options.key ? { key: options.key(row) } : undefined });
  for (const column of columns) {
    tr.append(h("td", { class: column.class, dataset: { label: column.label } }, column.cell(row)));
  }
  return tr;
}

// A confirmation in the page's <dialog>; resolves true when the person confirms.
export function confirmAction({ title, text, action }) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  document.getElementById("confirm-yes").textContent = action;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
    document.getElementById("confirm-no").focus();
  });
}

// run an action from a button: disabled while it runs, errors shown in `messages`
export async function act(button, message, work) {
  button.disabled = true;
  message.clear();
  try {
    return await work();
  } catch (error) {
    if (error.name !== "AbortError") message.error(error);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function debounce(fn, wait) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

// at most one call per `wait` ms, the last one always made (for refetches under a flood of events)
export function throttle(fn, wait) {
  let timer = null;
  let last = 0;
  const wrapped = () => {
    if (timer) return;
    const delay = Math.max(0, last + wait - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      fn();
    }, Math.max(delay, 150));
  };
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return wrapped;
}

export function labelsText(labels) {
  return Object.entries(labels || {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

export function labelChips(labels) {
  const entries = Object.entries(labels || {});
  if (!entries.length) return h("span", { class: "muted" }, "—");
  return h("span", { class: "chips" }, entries.map(([k, v]) => h("span", { class: "chip" }, `${k}=${v}`)));
}

export function meter(value, max, label) {
  const bar = h("meter", { min: "0", max: String(max || 1), value: String(value), title: label });
  return h("span", { class: "meter" }, bar, h("span", null, label));
}
