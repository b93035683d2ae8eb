// Schedules (on servers that have them): trigger, state, next fire time, runs and the last run's
// job; pause, resume and run now.

import { can, get, idempotencyKey, request } from "../api.js";
import { act, badge, h, labelChips, messages, replace, table, throttle, time } from "../dom.js";
import { missing, notAvailable, pagerButtons } from "./common.js";

const PATH = "/api/v1/schedules";

// paused, active (it has a next fire time) or ended (past its end, its runs or its one time)
function state(s) {
  if (s.paused) return badge("paused");
  return s.next_run_at ? badge("active") : badge("ended", "No fire time is left");
}

function trigger(s) {
  if (s.cron) return [h("code", null, s.cron), h("small", { class: "muted" }, ` ${s.timezone}`)];
  if (s.interval_seconds) return `every ${s.interval_seconds} s`;
  return "—";
}

export async function mount(view, { live }) {
  const controller = new AbortController();
  const message = messages();
  const results = h("div", { id: "schedules-results", "aria-live": "polite" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  let cursor = "";
  view.append(h("div", { class: "page-head" }, h("h1", null, "Schedules")), message.node, results, pager);
  if (missing(PATH)) {
    notAvailable(results, "Schedules");
    return null;
  }

  const columns = [
    { label: "Schedule", class: "name", cell: (s) => h("strong", null, s.name) },
    { label: "State", cell: state },
    { label: "Trigger", cell: trigger },
    { label: "Next run", cell: (s) => time(s.next_run_at) },
    { label: "Runs", class: "num", cell: (s) => String(s.run_count) + (s.max_runs ? ` / ${s.max_runs}` : "") },
    {
      label: "Last run",
      cell: (s) => (s.last_job_id ? h("a", { href: `#/jobs/${s.last_job_id}` }, time(s.last_run_at)) : "—"),
    },
    { label: "Skipped", class: "num", cell: (s) => String(s.skipped_count) },
    { label: "Policies", cell: (s) => `overlap ${s.overlap_policy}, misfire ${s.misfire_policy}` },
    { label: "Owner", cell: (s) => s.owner },
    { label: "Labels", cell: (s) => labelChips(s.labels) },
    { label: "Actions", cell: (s) => actionsFor(s) },
  ];

  function actionsFor(s) {
    if (!can("schedules:write")) return "—";
    const base = `api/v1/schedules/${s.id}`;
    const toggle = h("button", { type: "button" }, s.paused ? "Resume" : "Pause");
    toggle.setAttribute("aria-label", `${s.paused ? "Resume" : "Pause"} schedule ${s.name}`);
    toggle.addEventListener("click", async () => {
      if (await act(toggle, message, () => request(`${base}/${s.paused ? "resume" : "pause"}`, { method: "POST" }))) load();
    });
    const now = h("button", { type: "button" }, "Run now");
    now.setAttribute("aria-label", `Run schedule ${s.name} now`);
    now.addEventListener("click", async () => {
      const job = await act(now, message, () =>
        request(`${base}/trigger`, { method: "POST", headers: { "Idempotency-Key": idempotencyKey() } }),
      );
      if (job) {
        message.info(`Started run “${job.name}”.`);
        load();
      }
    });
    return h("span", { class: "row-actions" }, toggle, now);
  }

  async function load() {
    try {
      const page = await get("api/v1/schedules", { limit: 100, cursor: cursor || undefined }, { signal: controller.signal });
      replace(results, table(columns, page.data, { class: "schedules", empty: "No schedule yet." }));
      replace(pager, pagerButtons(page.pagination, cursor, (next) => ((cursor = next), load())));
    } catch (error) {
      if (error.name === "AbortError") return;
      if (missing(PATH, error)) notAvailable(results, "Schedules");
      else message.error(error);
    }
  }

  const refetch = throttle(load, 2000);
  const refetchSlowly = throttle(load, 5000); // a run's job moving changes only "last run"
  const stop = live.listen((event) => {
    if (event.type === "resync" || event.type === "job.created" || event.subject_type === "schedule") refetch();
    else if (event.subject_type === "job") refetchSlowly();
  });
  await load();
  return () => {
    stop();
    refetch.cancel();
    refetchSlowly.cancel();
    controller.abort();
  };
}
