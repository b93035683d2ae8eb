// One workflow: its steps as a graph colored by status (each box links to the step's job), the
// phases' progress, the steps' table, and cancel / retry behind a confirmation.

import { ApiError, can, get, request } from "../api.js";
import { act, badge, confirmAction, h, messages, replace, table, throttle, time } from "../dom.js";
import { workflowGraph } from "../graph.js";
import { missing, notAvailable } from "./common.js";
import { PATH, progress } from "./workflows.js";

export async function mount(view, { params, live }) {
  const [workflowId] = params;
  const controller = new AbortController();
  const message = messages();
  const title = h("h1", null, "Workflow");
  const statusNode = h("span", { id: "workflow-status" });
  const actions = h("div", { class: "actions" });
  const summary = h("dl", { class: "facts" });
  const graph = h("div", { class: "graph-wrap", id: "workflow-graph" });
  const phases = h("div", { id: "workflow-phases" });
  const steps = h("div", { id: "workflow-steps" });
  let workflow = null;
  let jobIds = new Set();
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: "#/workflows" }, "← Workflows")),
    h("div", { class: "page-head" }, title, statusNode),
    message.node,
  );
  if (missing(PATH)) {
    const node = h("div");
    view.append(node);
    notAvailable(node, "Workflows");
    return null;
  }
  view.append(
    actions,
    h("section", { class: "card" }, summary),
    h("section", { class: "card", "aria-labelledby": "graph-title" }, h("h2", { id: "graph-title" }, "Steps"), graph),
    h("section", { class: "card", "aria-label": "Phases" }, phases),
    h("section", { class: "card", "aria-label": "Step details" }, steps),
  );

  function renderActions() {
    if (!can("workflows:write") || !can("jobs:write")) return replace(actions);
    const buttons = [];
    if (workflow.status === "running") {
      const cancel = h("button", { type: "button", class: "danger", id: "cancel-workflow" }, "Cancel workflow");
      cancel.addEventListener("click", async () => {
        const ok = await confirmAction({
          title: "Cancel this workflow?",
          text: `Every live step of “${workflow.name}” is cancelled; running commands are killed. Finished steps keep their outcome.`,
          action: "Cancel workflow",
        });
        if (ok && (await act(cancel, message, () => request(`api/v1/workflows/${workflowId}/cancel`, { method: "POST" })))) load();
      });
      buttons.push(cancel);
    } else if (workflow.status === "failed" || workflow.status === "cancelled") {
      const retry = h("button", { type: "button", id: "retry-workflow" }, "Retry failed steps");
      retry.addEventListener("click", async () => {
        const ok = await confirmAction({
          title: "Re-run the failed steps?",
          text: `The steps of “${workflow.name}” that failed or never ran go again; completed steps keep their results.`,
          action: "Retry workflow",
        });
        if (ok && (await act(retry, message, () => request(`api/v1/workflows/${workflowId}/retry`, { method: "POST" })))) load();
      });
      buttons.push(retry);
    }
    replace(actions, buttons);
  }

  function render() {
    title.textContent = workflow.name;
    replace(statusNode, badge(workflow.status));
    const done = workflow.progress || {};
    const fact = (label, value) => h("div", null, h("dt", null, label), h("dd", null, value));
    replace(
      summary,
      fact("Steps done", progress(done.completed_steps, done.total_steps)),
      done.total_phases ? fact("Phases done", `${done.completed_phases} / ${done.total_phases}`) : null,
      fact("Owner", workflow.owner),
      fact("Created", time(workflow.created_at)),
      fact("Finished", time(workflow.finished_at)),
    );
    const vertical = graph.clientWidth > 0 && graph.clientWidth < 640;
    replace(graph, workflowGraph(workflow.steps || [], { vertical }));
    const phaseList = workflow.phases || [];
    replace(
      phases,
      phaseList.length
        ? [
            h("h2", null, "Phases"),
            table(
              [
                { label: "Phase", cell: (p) => p.name },
                { label: "Status", cell: (p) => badge(p.status) },
                { label: "Done", cell: (p) => progress(p.completed, p.total) },
                { label: "Waiting", class: "num", cell: (p) => String(p.waiting) },
                { label: "Running", class: "num", cell: (p) => String(p.running) },
                { label: "Failed", class: "num", cell: (p) => String(p.failed) },
                { label: "Cancelled", class: "num", cell: (p) => String(p.cancelled) },
              ],
              phaseList,
            ),
          ]
        : null,
    );
    phases.parentElement.hidden = !phaseList.length;
    replace(
      steps,
      h("h2", null, "Step details"),
      table(
        [
          { label: "Step", class: "name", cell: (s) => (s.job_id ? h("a", { href: `#/jobs/${s.job_id}` }, s.name) : s.name) },
          { label: "Status", cell: (s) => badge(s.status) },
          { label: "Depends on", cell: (s) => (s.depends_on.length ? s.depends_on.join(", ") : "—") },
          { label: "On failure", cell: (s) => s.on_failure || "fail" },
          { label: "Started", cell: (s) => time(s.started_at) },
          { label: "Finished", cell: (s) => time(s.finished_at) },
        ],
        workflow.steps || [],
      ),
    );
    renderActions();
  }

  async function load() {
    try {
      workflow = await get(`api/v1/workflows/${workflowId}`, null, { signal: controller.signal });
      jobIds = new Set((workflow.steps || []).map((s) => s.job_id).filter(Boolean));
      render();
    } catch (error) {
      if (error.name === "AbortError") return;
      if (missing(PATH, error)) {
        const node = h("div");
        view.append(node);
        notAvailable(node, "Workflows");
      } else if (error instanceof ApiError && error.status === 404 && !workflow) {
        title.textContent = "Workflow not found";
        message.error(error);
      } else message.error(error);
    }
  }

  const refetch = throttle(load, 700);
  const stop = live.listen((event) => {
    if (
      event.type === "resync" ||
      (event.subject_type === "workflow" && event.subject_id === workflowId) ||
      (event.subject_type === "job" && (jobIds.has(event.subject_id) || (event.data && event.data.workflow_id === workflowId)))
    )
      refetch();
  });
  await load();
  return () => {
    stop();
    refetch.cancel();
    controller.abort();
  };
}
