// Workflows (on servers that have them): each with its status, owner and times, newest first (the
// list has no step counts: a workflow's page shows its progress).

import { get } from "../api.js";
import { badge, h, labelChips, messages, replace, table, throttle, time } from "../dom.js";
import { missing, notAvailable, pagerButtons } from "./common.js";

export const PATH = "/api/v1/workflows";
const STATUSES = ["running", "completed", "failed", "cancelled"];

export function progress(done, total) {
  return h(
    "span",
    { class: "meter" },
    h("meter", { min: "0", max: String(total || 1), value: String(done) }),
    h("span", null, `${done} / ${total}`),
  );
}

export async function mount(view, { live, query }) {
  const controller = new AbortController();
  const message = messages();
  const results = h("div", { id: "workflows-results", "aria-live": "polite" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  let status = STATUSES.includes(query.get("status")) ? query.get("status") : "";
  let cursor = "";
  const select = h("select", { id: "wf-status" }, h("option", { value: "" }, "any"), STATUSES.map((s) => h("option", { value: s }, s)));
  select.value = status;
  select.addEventListener("change", () => {
    status = select.value;
    cursor = "";
    history.replaceState(null, "", `#/workflows${status ? `?status=${status}` : ""}`);
    load();
  });
  view.append(
    h("div", { class: "page-head" }, h("h1", null, "Workflows")),
    message.node,
    h("div", { class: "toolbar" }, h("label", { for: "wf-status" }, "Status "), select),
    results,
    pager,
  );
  if (missing(PATH)) {
    view.querySelector(".toolbar").remove();
    notAvailable(results, "Workflows");
    return null;
  }

  const columns = [
    { label: "Workflow", class: "name", cell: (w) => [h("a", { href: `#/workflows/${w.id}` }, w.name), h("small", { class: "muted id", title: w.id }, `…${w.id.slice(-8)}`)] },
    { label: "Status", cell: (w) => badge(w.status) },
    { label: "Owner", cell: (w) => w.owner },
    { label: "Labels", cell: (w) => labelChips(w.labels) },
    { label: "Created", cell: (w) => time(w.created_at) },
    { label: "Finished", cell: (w) => time(w.finished_at) },
  ];

  async function load() {
    try {
      const page = await get("api/v1/workflows", { limit: 50, status: status || undefined, cursor: cursor || undefined }, { signal: controller.signal });
      replace(results, table(columns, page.data, { class: "workflows", empty: "No workflow yet." }));
      replace(pager, pagerButtons(page.pagination, cursor, (next) => ((cursor = next), load())));
    } catch (error) {
      if (error.name === "AbortError") return;
      if (missing(PATH, error)) notAvailable(results, "Workflows");
      else message.error(error);
    }
  }

  const refetch = throttle(load, 1500);
  const stop = live.listen((event) => {
    if (event.type === "resync" || event.subject_type === "workflow" || (event.data && event.data.workflow_id)) refetch();
  });
  await load();
  return () => {
    stop();
    refetch.cancel();
    controller.abort();
  };
}
