// Queues: each defined queue with its depth (pending, running, oldest wait, finished in the last
// minute), its limit and defaults, and pause / resume for those who may change queues.

import { can, get, post } from "../api.js";
import { act, badge, duration, h, messages, replace, table, throttle } from "../dom.js";

export async function mount(view, { live }) {
  const controller = new AbortController();
  const message = messages();
  const results = h("div", { id: "queues-results", "aria-live": "polite" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  let cursor = "";
  let stats = new Map(); // queue name -> stats

  view.append(
    h("div", { class: "page-head" }, h("h1", null, "Queues")),
    h("p", { class: "muted" }, "Jobs wait in queues. A paused queue starts no job; running jobs finish. Undefined queues have no limit."),
    message.node,
    results,
    pager,
  );

  const columns = [
    {
      label: "Queue",
      class: "name",
      cell: (q) => [h("a", { href: `#/jobs?queue=${encodeURIComponent(q.name)}` }, q.name), q.description ? h("small", { class: "muted" }, q.description) : null],
    },
    { label: "State", cell: (q) => badge(q.paused ? "paused" : "active") },
    { label: "Pending", class: "num", cell: (q) => count(q.name, "pending") },
    { label: "Running", class: "num", cell: (q) => count(q.name, "running") },
    { label: "Limit", class: "num", cell: (q) => (q.max_concurrency === null ? "none" : String(q.max_concurrency)) },
    {
      label: "Oldest pending",
      class: "num",
      cell: (q) => {
        const s = stats.get(q.name);
        return s && s.oldest_pending_age_seconds !== null ? duration(s.oldest_pending_age_seconds) : "—";
      },
    },
    { label: "Done last min", class: "num", cell: (q) => String(stats.get(q.name)?.finished_last_minute ?? "—") },
    { label: "Failed", class: "num", cell: (q) => String(stats.get(q.name)?.by_status.failed ?? "—") },
    {
      label: "Defaults",
      cell: (q) =>
        `timeout ${q.default_timeout_seconds === null ? "3600" : q.default_timeout_seconds} s, retries ${q.default_max_retries ?? 0}`,
    },
    { label: "Actions", cell: (q) => actionsFor(q) },
  ];

  function count(name, status) {
    const s = stats.get(name);
    return h("span", { dataset: { queue: name, count: status } }, s ? String(s.by_status[status]) : "…");
  }

  function actionsFor(q) {
    if (!can("queues:write")) return "—";
    const verb = q.paused ? "resume" : "pause";
    const button = h(
      "button",
      { type: "button", class: q.paused ? "primary" : "", dataset: { queue: q.name, action: verb } },
      q.paused ? "Resume" : "Pause",
    );
    button.setAttribute("aria-label", `${q.paused ? "Resume" : "Pause"} queue ${q.name}`);
    button.addEventListener("click", async () => {
      const done = await act(button, message, () => post(`api/v1/queues/${encodeURIComponent(q.name)}/${verb}`));
      if (done) {
        message.info(`Queue ${q.name} ${q.paused ? "resumed" : "paused"}.`);
        await load();
      }
    });
    return button;
  }

  async function load() {
    try {
      const page = await get("api/v1/queues", { limit: 100, cursor: cursor || undefined }, { signal: controller.signal });
      const fresh = new Map();
      await Promise.all(
        page.data.map(async (q) => {
          try {
            fresh.set(q.name, await get(`api/v1/queues/${encodeURIComponent(q.name)}/stats`, null, { signal: controller.signal }));
          } catch (error) {
            if (error.name === "AbortError") throw error;
          }
        }),
      );
      stats = fresh;
      replace(results, table(columns, page.data, { class: "queues", key: (q) => q.name, empty: "No queue is defined." }));
      replace(
        pager,
        cursor ? h("button", { type: "button", onclick: () => ((cursor = ""), load()) }, "First page") : null,
        page.pagination.has_next
          ? h("button", { type: "button", onclick: () => ((cursor = page.pagination.next_cursor), load()) }, "Next")
          : null,
      );
    } catch (error) {
      if (error.name !== "AbortError") message.error(error);
    }
  }

  const refetch = throttle(load, 1000);
  // jobs finishing change only the slower figures (done last minute, failed): refresh those calmly
  const refetchSlowly = throttle(load, 5000);
  const stop = live.listen((event) => {
    if (event.type === "queue.depth_changed") {
      // the figures move at once; the rest follows with the next refetch
      for (const node of results.querySelectorAll(`[data-queue="${CSS.escape(event.data.queue)}"][data-count]`)) {
        node.textContent = String(event.data[node.dataset.count]);
      }
    }
    if (event.type === "resync" || (event.subject_type === "queue" && event.type !== "queue.depth_changed")) refetch();
    else if (event.subject_type === "job" || event.type === "queue.depth_changed") refetchSlowly();
  });

  await load();
  return () => {
    stop();
    refetch.cancel();
    refetchSlowly.cancel();
    controller.abort();
  };
}
