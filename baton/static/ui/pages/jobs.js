// Jobs: the list with the API's filters, sort and paging (all kept in the hash, so a reload or a
// shared link shows the same list), updated live from job events, and a form to submit a job.

import { can, get, jobStatuses, post, sortKeys } from "../api.js";
import { splitCommand } from "../command.js";
import { badge, between, duration, h, messages, replace, table, tableRow, throttle, time } from "../dom.js";

const SORT_LABELS = { created_at: "Created", updated_at: "Updated", run_at: "Run at", priority: "Priority", name: "Name" };
const TEXT_FILTERS = ["search", "queue", "owner", "worker", "label"];
const PAGE_SIZES = ["20", "50", "100"];

const COLUMNS = [
  { label: "Status", cell: (j) => badge(j.status) },
  {
    label: "Name",
    class: "name",
    cell: (j) => [h("a", { href: `#/jobs/${j.id}` }, j.name), h("small", { class: "muted id", title: j.id }, `…${j.id.slice(-8)}`)],
  },
  { label: "Queue", cell: (j) => j.queue },
  { label: "Owner", cell: (j) => j.owner },
  { label: "Priority", class: "num opt", cell: (j) => String(j.priority) },
  { label: "Attempt", class: "num opt", cell: (j) => String(j.attempt) },
  { label: "Created", cell: (j) => time(j.created_at) },
  { label: "Duration", class: "num", cell: (j) => (j.started_at ? duration(between(j.started_at, j.finished_at)) : "—") },
  { label: "Exit", class: "num", cell: (j) => (j.exit_code === null || j.exit_code === undefined ? "—" : String(j.exit_code)) },
];

function stateFrom(query) {
  const state = {
    status: (query.get("status") || "").split(",").filter(Boolean),
    sort: (query.get("sort") || "-created_at").split(",").filter(Boolean),
    limit: PAGE_SIZES.includes(query.get("limit")) ? query.get("limit") : "50",
    created_after: query.get("created_after") || "",
    created_before: query.get("created_before") || "",
    cursor: query.get("cursor") || "",
  };
  for (const name of TEXT_FILTERS) state[name] = query.get(name) || "";
  return state;
}

function hashOf(state) {
  const query = new URLSearchParams();
  if (state.status.length) query.set("status", state.status.join(","));
  for (const name of [...TEXT_FILTERS, "created_after", "created_before"]) if (state[name]) query.set(name, state[name]);
  if (state.sort.join(",") !== "-created_at") query.set("sort", state.sort.join(","));
  if (state.limit !== "50") query.set("limit", state.limit);
  if (state.cursor) query.set("cursor", state.cursor);
  const text = query.toString();
  return `#/jobs${text ? `?${text}` : ""}`;
}

function apiQuery(state) {
  return {
    limit: state.limit,
    count: "true",
    sort: state.sort.join(","),
    status: state.status.length ? state.status.join(",") : undefined,
    search: state.search || undefined,
    queue: state.queue || undefined,
    owner: state.owner || undefined,
    worker: state.worker || undefined,
    label: state.label
      ? state.label
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    created_after: state.created_after || undefined,
    created_before: state.created_before || undefined,
    cursor: state.cursor || undefined,
  };
}

// <input type=datetime-local> holds local wall time; the API wants RFC 3339 with an offset
const toLocalInput = (iso) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
};
const fromLocalInput = (value) => (value ? new Date(value).toISOString() : "");

function sortSelect(id, value, allowNone) {
  const select = h("select", { id });
  if (allowNone) select.append(h("option", { value: "" }, "—"));
  for (const key of sortKeys()) {
    const label = SORT_LABELS[key] || key;
    const [down, up] = key === "name" ? ["Z → A", "A → Z"] : key === "priority" ? ["high first", "low first"] : ["newest first", "oldest first"];
    select.append(h("option", { value: `-${key}` }, `${label}, ${down}`), h("option", { value: key }, `${label}, ${up}`));
  }
  select.value = value || "";
  return select;
}

function filterForm(state, apply) {
  const fields = {};
  const input = (name, label, attrs = {}) => {
    fields[name] = h("input", { id: `f-${name}`, name, value: state[name], ...attrs });
    return h("div", { class: "field" }, h("label", { for: `f-${name}` }, label), fields[name]);
  };
  const statusBoxes = jobStatuses().map((status) =>
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "status", value: status, checked: state.status.includes(status) }),
      " ",
      badge(status),
    ),
  );
  const sort1 = sortSelect("f-sort", state.sort[0], false);
  const sort2 = sortSelect("f-sort2", state.sort[1], true);
  const limit = h("select", { id: "f-limit" }, PAGE_SIZES.map((n) => h("option", { value: n }, n)));
  limit.value = state.limit;
  const after = h("input", { id: "f-after", type: "datetime-local", value: toLocalInput(state.created_after) });
  const before = h("input", { id: "f-before", type: "datetime-local", value: toLocalInput(state.created_before) });
  const more = state.label || state.worker || state.created_after || state.created_before || state.sort[1];
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter jobs" },
    h(
      "div",
      { class: "grid" },
      input("search", "Name contains", { type: "search", placeholder: "backup" }),
      input("queue", "Queue", { placeholder: "default" }),
      input("owner", "Owner", { placeholder: "username" }),
      h("div", { class: "field" }, h("label", { for: "f-sort" }, "Sort by"), sort1),
      h("div", { class: "field" }, h("label", { for: "f-limit" }, "Per page"), limit),
    ),
    h("fieldset", { class: "statuses" }, h("legend", null, "Status"), statusBoxes),
    h(
      "details",
      { class: "more", open: Boolean(more) || undefined },
      h("summary", null, "More filters"),
      h(
        "div",
        { class: "grid" },
        input("label", "Labels", { placeholder: "team=infra, env=prod" }),
        input("worker", "Worker", { placeholder: "worker id" }),
        h("div", { class: "field" }, h("label", { for: "f-after" }, "Created after"), after),
        h("div", { class: "field" }, h("label", { for: "f-before" }, "Created before"), before),
        h("div", { class: "field" }, h("label", { for: "f-sort2" }, "Then by"), sort2),
      ),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Apply"),
      h("button", { type: "reset" }, "Clear filters"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = {
      status: [...form.querySelectorAll("input[name=status]:checked")].map((box) => box.value),
      sort: [sort1.value, sort2.value].filter(Boolean).filter((key, i, all) => all.findIndex((k) => k.replace("-", "") === key.replace("-", "")) === i),
      limit: limit.value,
      created_after: fromLocalInput(after.value),
      created_before: fromLocalInput(before.value),
      cursor: "",
    };
    for (const name of TEXT_FILTERS) next[name] = fields[name].value.trim();
    apply(next);
  });
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    apply(stateFrom(new URLSearchParams()));
  });
  return form;
}

function submitForm(message, navigate) {
  const command = h("input", { id: "n-command", required: true, placeholder: "sh -c 'echo hello; sleep 5'", autocomplete: "off", spellcheck: "false" });
  const preview = h("code", { id: "n-argv" });
  const name = h("input", { id: "n-name", placeholder: "(the program's name)" });
  const queue = h("input", { id: "n-queue", value: "default", pattern: "[a-z0-9][a-z0-9_.\\-]*" });
  const priority = h("input", { id: "n-priority", type: "number", min: "0", max: "9", value: "5" });
  const timeout = h("input", { id: "n-timeout", type: "number", min: "1", max: "604800", placeholder: "queue default" });
  const retries = h("input", { id: "n-retries", type: "number", min: "0", max: "25", placeholder: "queue default" });
  const showArgv = () => {
    try {
      preview.textContent = command.value.trim() ? JSON.stringify(splitCommand(command.value)) : "";
    } catch (error) {
      preview.textContent = error.message;
    }
  };
  command.addEventListener("input", showArgv);
  const button = h("button", { type: "submit", class: "primary" }, "Submit job");
  const form = h(
    "form",
    { class: "submit-job" },
    h(
      "div",
      { class: "field wide" },
      h("label", { for: "n-command" }, "Command"),
      command,
      h("small", { class: "muted" }, "Run without a shell; quotes group words. argv: ", preview),
    ),
    h(
      "div",
      { class: "grid" },
      h("div", { class: "field" }, h("label", { for: "n-name" }, "Name"), name),
      h("div", { class: "field" }, h("label", { for: "n-queue" }, "Queue"), queue),
      h("div", { class: "field" }, h("label", { for: "n-priority" }, "Priority (9 first)"), priority),
      h("div", { class: "field" }, h("label", { for: "n-timeout" }, "Timeout (s)"), timeout),
      h("div", { class: "field" }, h("label", { for: "n-retries" }, "Retries"), retries),
    ),
    h("div", { class: "actions" }, button),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.clear();
    let argv;
    try {
      argv = splitCommand(command.value);
    } catch (error) {
      message.error(error);
      return;
    }
    if (!argv.length) {
      message.error(new Error("The command is empty."));
      return;
    }
    const body = { command: argv, queue: queue.value.trim() || "default", priority: Number(priority.value || 5) };
    if (name.value.trim()) body.name = name.value.trim();
    if (timeout.value) body.timeout_seconds = Number(timeout.value);
    if (retries.value) body.max_retries = Number(retries.value);
    button.disabled = true;
    try {
      const job = await post("api/v1/jobs", body);
      navigate(`#/jobs/${job.id}`, `Job “${job.name}” submitted.`);
    } catch (error) {
      message.error(error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function mount(view, { query, live, navigate }) {
  let state = stateFrom(query);
  const back = []; // cursors of the pages before this one, for "Previous"
  const controller = new AbortController();
  const message = messages();
  const total = h("span", { class: "count muted", id: "jobs-total" });
  const results = h("div", { id: "jobs-results", "aria-live": "polite", "aria-busy": "true" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  const rows = new Map(); // job id -> {job, tr}
  const wide = window.matchMedia("(min-width: 900px)").matches;

  const filters = h("details", { class: "panel", open: wide || undefined }, h("summary", null, "Filters and sort"));
  const apply = (next) => {
    state = next;
    back.length = 0;
    history.replaceState(null, "", hashOf(state));
    replace(filters, h("summary", null, "Filters and sort"), filterForm(state, apply));
    filters.open = true;
    load();
  };
  filters.append(filterForm(state, apply));

  const header = h("div", { class: "page-head" }, h("h1", null, "Jobs ", total));
  view.append(header);
  if (can("jobs:write")) {
    view.append(h("details", { class: "panel", id: "submit-panel" }, h("summary", null, "Submit a job"), submitForm(message, navigate)));
  }
  view.append(filters, message.node, results, pager);

  function renderPager(pagination) {
    const buttons = [];
    if (state.cursor) {
      buttons.push(
        h("button", { type: "button", onclick: () => go("", true) }, "First page"),
        back.length ? h("button", { type: "button", onclick: () => go(back.pop(), false) }, "Previous") : null,
      );
    }
    if (pagination.has_next) {
      buttons.push(
        h(
          "button",
          {
            type: "button",
            onclick: () => {
              back.push(state.cursor);
              go(pagination.next_cursor, false);
            },
          },
          "Next",
        ),
      );
    }
    replace(pager, buttons);
  }

  function go(cursor, reset) {
    if (reset) back.length = 0;
    state = { ...state, cursor: cursor || "" };
    history.replaceState(null, "", hashOf(state));
    load();
    view.scrollIntoView({ block: "start" });
  }

  // the total costs a count query: live refreshes ask for it at most every 10 s (and once more
  // when that time is up, so the total shown is never left behind)
  const COUNT_EVERY = 10000;
  let countedAt = 0;
  let countTimer = null;

  async function load(live = false) {
    results.setAttribute("aria-busy", "true");
    try {
      const query = apiQuery(state);
      const counting = !live || Date.now() - countedAt >= COUNT_EVERY;
      clearTimeout(countTimer);
      if (counting) countedAt = Date.now();
      else {
        delete query.count;
        countTimer = setTimeout(() => load(true), countedAt + COUNT_EVERY - Date.now());
      }
      const page = await get("api/v1/jobs", query, { signal: controller.signal });
      rows.clear();
      const t = table(COLUMNS, [], { class: "jobs", empty: "No job matches." });
      const body = t.querySelector("tbody");
      if (page.data.length) body.replaceChildren();
      for (const job of page.data) {
        const tr = tableRow(COLUMNS, job, { key: (j) => j.id });
        rows.set(job.id, { job, tr });
        body.append(tr);
      }
      replace(results, t);
      const n = page.pagination.total;
      if (n !== undefined) total.textContent = `${n} ${n === 1 ? "job" : "jobs"}`;
      renderPager(page.pagination);
      message.clear();
    } catch (error) {
      if (error.name !== "AbortError") message.error(error);
    } finally {
      results.setAttribute("aria-busy", "false");
    }
  }

  const refetch = throttle(() => load(true), 1000);
  const stop = live.listen((event) => {
    if (event.type === "resync") {
      refetch();
      return;
    }
    if (event.subject_type !== "job") return;
    const known = rows.get(event.subject_id);
    if (known && event.type !== "job.deleted") {
      // show the change at once; the refetch that follows brings order and membership
      const job = { ...known.job, ...pickJob(event.data) };
      if (event.type === "job.running") job.started_at = event.at;
      if (["job.completed", "job.failed", "job.cancelled", "job.timed_out"].includes(event.type)) job.finished_at = event.at;
      const tr = tableRow(COLUMNS, job, { key: (j) => j.id });
      known.tr.replaceWith(tr);
      rows.set(job.id, { job, tr });
    }
    refetch();
  });

  await load();
  return () => {
    stop();
    refetch.cancel();
    clearTimeout(countTimer);
    controller.abort();
  };
}

function pickJob(data) {
  const out = {};
  for (const key of ["status", "attempt", "retries_used", "exit_code", "error", "run_at", "name", "queue", "owner"]) {
    if (key in data) out[key] = data[key];
  }
  return out;
}
