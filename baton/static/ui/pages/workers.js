// Workers and the fleet: pull workers by derived status (online / stale / offline from their
// heartbeats), capacity and load, jobs by status and queue depths; drain or remove a worker.

import { can, get, post, request } from "../api.js";
import { act, badge, confirmAction, h, labelChips, messages, meter, replace, table, throttle, time } from "../dom.js";

const WORKER_STATUSES = ["online", "stale", "offline"];

function stat(label, value, id, kind) {
  return h("div", { class: ["stat", kind && `stat-${kind}`], id }, h("span", { class: "value" }, String(value)), h("span", { class: "label" }, label));
}

export async function mount(view, { live, query }) {
  const controller = new AbortController();
  const message = messages();
  const fleetNode = h("section", { class: "fleet", id: "fleet", "aria-label": "Fleet" });
  const results = h("div", { id: "workers-results", "aria-live": "polite" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  let filter = (query.get("status") || "").split(",").filter((s) => WORKER_STATUSES.includes(s));
  let cursor = "";

  const boxes = WORKER_STATUSES.map((status) => {
    const box = h("input", { type: "checkbox", name: "wstatus", value: status, checked: filter.includes(status) });
    box.addEventListener("change", () => {
      filter = [...view.querySelectorAll("input[name=wstatus]:checked")].map((b) => b.value);
      history.replaceState(null, "", `#/workers${filter.length ? `?status=${filter.join(",")}` : ""}`);
      cursor = "";
      loadWorkers();
    });
    return h("label", { class: "check" }, box, " ", badge(status));
  });

  view.append(
    h("div", { class: "page-head" }, h("h1", null, "Workers")),
    message.node,
    fleetNode,
    h("section", { class: "card", "aria-labelledby": "workers-title" },
      h("h2", { id: "workers-title" }, "Pull workers"),
      h("fieldset", { class: "statuses inline" }, h("legend", null, "Show"), boxes),
      results,
      pager,
    ),
  );

  const columns = [
    { label: "Worker", class: "name", cell: (w) => [h("strong", null, w.name), h("small", { class: "muted id", title: w.id }, `…${w.id.slice(-8)}`)] },
    { label: "Status", cell: (w) => [badge(w.status), w.state === "draining" ? badge("draining") : null] },
    { label: "Host", class: "mono", cell: (w) => w.hostname || "—" },
    { label: "Queues", cell: (w) => w.queues.join(", ") },
    { label: "Labels", cell: (w) => labelChips(w.labels) },
    { label: "Load", cell: (w) => meter(w.load, w.capacity, `${w.load} / ${w.capacity}`) },
    {
      label: "Running",
      class: "num",
      cell: (w) => h("a", { href: `#/jobs?worker=${encodeURIComponent(w.id)}&status=running` }, String(w.running_jobs)),
    },
    { label: "Last heartbeat", cell: (w) => time(w.last_heartbeat_at) },
    { label: "Actions", cell: (w) => actionsFor(w) },
  ];

  function actionsFor(w) {
    if (!can("workers:write")) return "—";
    const buttons = [];
    if (w.state !== "draining") {
      const drain = h("button", { type: "button" }, "Drain");
      drain.setAttribute("aria-label", `Drain worker ${w.name}`);
      drain.addEventListener("click", async () => {
        const ok = await confirmAction({
          title: "Drain this worker?",
          text: `${w.name} gets no new jobs; its running jobs finish. A drained worker must register again to take work.`,
          action: "Drain worker",
        });
        if (ok && (await act(drain, message, () => post(`api/v1/workers/${w.id}/drain`)))) refresh();
      });
      buttons.push(drain);
    }
    const remove = h("button", { type: "button", class: "danger" }, "Remove");
    remove.setAttribute("aria-label", `Remove worker ${w.name}`);
    remove.addEventListener("click", async () => {
      const ok = await confirmAction({
        title: "Remove this worker?",
        text: `${w.name} is deregistered; jobs running on it go back to pending.`,
        action: "Remove worker",
      });
      if (ok && (await act(remove, message, () => request(`api/v1/workers/${w.id}`, { method: "DELETE" }).then(() => true)))) refresh();
    });
    buttons.push(remove);
    return h("span", { class: "row-actions" }, buttons);
  }

  async function loadFleet() {
    try {
      const fleet = await get("api/v1/fleet", null, { signal: controller.signal });
      const jobs = fleet.jobs_by_status;
      replace(
        fleetNode,
        h(
          "div",
          { class: "stats" },
          stat("online", fleet.workers.online, "fleet-online", "online"),
          stat("stale", fleet.workers.stale, "fleet-stale", "stale"),
          stat("offline", fleet.workers.offline, "fleet-offline", "offline"),
          h(
            "div",
            { class: "stat wide", id: "fleet-load" },
            h("span", { class: "label" }, "Load of workers not offline"),
            meter(fleet.load, fleet.capacity, `${fleet.load} / ${fleet.capacity}`),
            h("span", { class: "label" }, `${fleet.running_on_workers} jobs running on pull workers`),
          ),
        ),
        h(
          "div",
          { class: "cols" },
          h(
            "div",
            { class: "card" },
            h("h2", null, "Jobs by status"),
            h(
              "ul",
              { class: "by-status" },
              Object.entries(jobs).map(([status, n]) =>
                h("li", null, h("a", { href: `#/jobs?status=${status}` }, badge(status)), h("span", { class: "num" }, String(n))),
              ),
            ),
          ),
          h(
            "div",
            { class: "card" },
            h("h2", null, "Queue depths"),
            table(
              [
                { label: "Queue", cell: (q) => h("a", { href: `#/jobs?queue=${encodeURIComponent(q.queue)}` }, q.queue) },
                { label: "Pending", class: "num", cell: (q) => String(q.pending) },
                { label: "Running", class: "num", cell: (q) => String(q.running) },
              ],
              fleet.queues,
              { empty: "No job is waiting or running." },
            ),
          ),
        ),
      );
    } catch (error) {
      if (error.name !== "AbortError") message.error(error);
    }
  }

  async function loadWorkers() {
    try {
      const page = await get(
        "api/v1/workers",
        { limit: 100, status: filter.length ? filter.join(",") : undefined, cursor: cursor || undefined },
        { signal: controller.signal },
      );
      replace(results, table(columns, page.data, { class: "workers", empty: "No pull worker is registered. Built-in executors run jobs inside the server." }));
      replace(
        pager,
        cursor ? h("button", { type: "button", onclick: () => ((cursor = ""), loadWorkers()) }, "First page") : null,
        page.pagination.has_next
          ? h("button", { type: "button", onclick: () => ((cursor = page.pagination.next_cursor), loadWorkers()) }, "Next")
          : null,
      );
    } catch (error) {
      if (error.name !== "AbortError") message.error(error);
    }
  }

  function refresh() {
    return Promise.all([loadFleet(), loadWorkers()]);
  }

  const refetchWorkers = throttle(loadWorkers, 1000);
  const refetchFleet = throttle(loadFleet, 2000);
  const stop = live.listen((event) => {
    if (event.type === "resync") {
      refetchWorkers();
      refetchFleet();
    } else if (event.subject_type === "worker") {
      refetchWorkers();
      refetchFleet();
    } else if (event.subject_type === "job" || event.type === "queue.depth_changed") {
      refetchFleet();
    }
  });
  // heartbeats are not events (only status changes are): look again now and then
  const poll = setInterval(refetchWorkers, 15000);

  await refresh();
  return () => {
    stop();
    clearInterval(poll);
    refetchWorkers.cancel();
    refetchFleet.cancel();
    controller.abort();
  };
}
