// One job: its definition and state, every attempt (worker, times, exit code, error), the log of
// an attempt that follows a running job, and cancel / retry / delete behind a confirmation.

import { ApiError, can, get, idempotencyKey, request } from "../api.js";
import { joinCommand } from "../command.js";
import {
  LIVE_STATUSES,
  act,
  badge,
  between,
  bytes,
  confirmAction,
  duration,
  h,
  labelChips,
  messages,
  replace,
  table,
  throttle,
  time,
} from "../dom.js";

const TAIL_BYTES = 256 * 1024; // a log is opened at its last 256 KiB; "Show all" reads the rest
const FOLLOW_MS = 1000;

// a JSON value (a task's payload or result) as text, indented when it has parts
function jsonText(value, id) {
  const compact = JSON.stringify(value);
  const text = compact.length > 60 && value !== null && typeof value === "object" ? JSON.stringify(value, null, 2) : compact;
  return h("code", { class: "json", id }, text);
}

function field(label, value, wide = false) {
  return h("div", { class: wide ? "wide" : undefined }, h("dt", null, label), h("dd", null, value));
}

// Follows one stream of one attempt: reads the tail, then what was added, until the log is complete.
function logViewer(jobId, onError) {
  const pre = h("pre", { class: "log", id: "log-output", tabindex: "0", "aria-label": "Log output" });
  const status = h("p", { class: "log-status muted", id: "log-status", role: "status" });
  const follow = h("input", { type: "checkbox", id: "log-follow", checked: true });
  const showAll = h("button", { type: "button", hidden: true }, "Show all");
  const streamTabs = h("div", { class: "tabs", role: "group", "aria-label": "Stream" });
  const attemptSelect = h("select", { id: "log-attempt" });
  let current = null; // {attempt, stream, offset, complete, decoder, timer, controller}
  let attempts = [];

  function stopFollowing() {
    if (!current) return;
    clearTimeout(current.timer);
    current.controller.abort();
  }

  function render(text) {
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
    pre.append(document.createTextNode(text));
    if (follow.checked && (atBottom || text)) pre.scrollTop = pre.scrollHeight;
  }

  async function read(reader) {
    if (reader !== current) return;
    const first = reader.offset === null;
    const headers = {};
    const query = { stream: reader.stream };
    if (first && !reader.all) headers.Range = `bytes=-${TAIL_BYTES}`;
    else query.offset = reader.offset || 0;
    try {
      const response = await request(`api/v1/jobs/${jobId}/executions/${reader.attempt}/log`, {
        query,
        headers: { ...headers, Accept: "text/plain, application/problem+json" },
        signal: reader.controller.signal,
        raw: true,
        cache: "no-store",
      });
      if (reader !== current) return;
      const size = Number(response.headers.get("Baton-Log-Size") || 0);
      const complete = response.headers.get("Baton-Log-Complete") === "true";
      const data = new Uint8Array(await response.arrayBuffer());
      if (first) {
        const range = /bytes (\d+)-/.exec(response.headers.get("Content-Range") || "");
        const start = response.status === 206 && range ? Number(range[1]) : 0;
        if (start > 0) {
          pre.append(h("span", { class: "muted" }, `… ${bytes(start)} earlier not shown\n`));
          showAll.hidden = false;
        }
      }
      render(reader.decoder.decode(data, { stream: !complete }));
      reader.offset = size;
      reader.complete = complete;
      status.textContent = complete
        ? `${reader.stream}: ${bytes(size)}, complete`
        : `${reader.stream}: ${bytes(size)}, following…`;
      if (!pre.textContent) pre.dataset.empty = "true";
      else delete pre.dataset.empty;
      if (!complete) reader.timer = setTimeout(() => read(reader), FOLLOW_MS);
    } catch (error) {
      if (error.name === "AbortError" || reader !== current) return;
      if (error instanceof ApiError && error.status === 416 && first) {
        // a server that finds a suffix range of an empty log unsatisfiable: read it from the start
        reader.offset = 0;
        read(reader);
        return;
      }
      if (error instanceof ApiError && error.code === "EXECUTION_NOT_FOUND") {
        status.textContent = "This attempt has not started yet.";
        reader.timer = setTimeout(() => read(reader), FOLLOW_MS);
        return;
      }
      onError(error);
    }
  }

  function open(attempt, stream, all = false) {
    stopFollowing();
    pre.replaceChildren();
    delete pre.dataset.empty;
    showAll.hidden = true;
    status.textContent = "Loading…";
    current = {
      attempt,
      stream,
      all,
      offset: null,
      complete: false,
      decoder: new TextDecoder("utf-8"),
      timer: null,
      controller: new AbortController(),
    };
    for (const tab of streamTabs.children) tab.setAttribute("aria-pressed", String(tab.dataset.stream === stream));
    attemptSelect.value = String(attempt);
    read(current);
  }

  for (const stream of ["stdout", "stderr"]) {
    streamTabs.append(
      h(
        "button",
        { type: "button", dataset: { stream }, "aria-pressed": "false", onclick: () => current && open(current.attempt, stream) },
        stream,
      ),
    );
  }
  attemptSelect.addEventListener("change", () => open(Number(attemptSelect.value), current ? current.stream : "stdout"));
  showAll.addEventListener("click", () => current && open(current.attempt, current.stream, true));

  const node = h(
    "section",
    { class: "card log-card", "aria-labelledby": "log-title" },
    h("h2", { id: "log-title" }, "Log"),
    h(
      "div",
      { class: "log-controls" },
      h("label", { for: "log-attempt" }, "Attempt "),
      attemptSelect,
      streamTabs,
      h("label", { class: "check" }, follow, " Follow"),
      showAll,
    ),
    status,
    pre,
  );

  return {
    node,
    // the job's attempts changed: offer them, and follow the newest unless one was chosen
    setAttempts(list) {
      const newest = list.length ? list[list.length - 1] : null;
      const wasNewest = !current || current.attempt === attempts[attempts.length - 1];
      attempts = list;
      replace(attemptSelect, list.map((n) => h("option", { value: String(n) }, `#${n}`)));
      if (newest === null) {
        node.hidden = true;
        return;
      }
      node.hidden = false;
      if (!current || (wasNewest && current.attempt !== newest)) open(newest, current ? current.stream : "stdout");
      else attemptSelect.value = String(current.attempt);
    },
    stop: stopFollowing,
  };
}

export async function mount(view, { params, live, navigate }) {
  const [jobId] = params;
  const controller = new AbortController();
  const message = messages();
  const title = h("h1", null, "Job");
  const statusNode = h("span", { id: "job-status" });
  const idNode = h("code", { class: "id muted" }, jobId);
  const actions = h("div", { class: "actions", id: "job-actions" });
  const details = h("dl", { class: "facts" });
  const executions = h("div", { id: "executions" });
  const viewer = logViewer(jobId, (error) => message.error(error));
  let job = null;
  let etag = null;
  let gone = false; // deleted here: read it no more (each read would be a 404)

  view.append(
    h("p", { class: "crumbs" }, h("a", { href: "#/jobs" }, "← Jobs")),
    h("div", { class: "page-head" }, title, statusNode, idNode),
    message.node,
    actions,
    h("section", { class: "card", "aria-label": "Definition" }, details),
    h("section", { class: "card", "aria-labelledby": "exec-title" }, h("h2", { id: "exec-title" }, "Attempts"), executions),
    viewer.node,
  );

  async function run(button, work) {
    const done = await act(button, message, work);
    if (done !== undefined) await load();
    return done;
  }

  function renderActions() {
    const buttons = [];
    if (!can("jobs:write")) {
      replace(actions);
      return;
    }
    if (LIVE_STATUSES.has(job.status)) {
      const cancel = h("button", { type: "button", class: "danger", id: "cancel-job" }, "Cancel job");
      cancel.addEventListener("click", async () => {
        const ok = await confirmAction({
          title: "Cancel this job?",
          text: `“${job.name}” is ${job.status}. ${job.status === "running" ? "Its process will be killed. " : ""}It will not run again unless retried.`,
          action: "Cancel job",
        });
        if (ok) {
          await run(cancel, () =>
            request(`api/v1/jobs/${jobId}/cancel`, { method: "POST", headers: { "Idempotency-Key": idempotencyKey() } }),
          );
        }
      });
      buttons.push(cancel);
    } else {
      const retry = h("button", { type: "button", id: "retry-job" }, "Retry job");
      retry.addEventListener("click", async () => {
        const ok = await confirmAction({
          title: "Run this job again?",
          text: `“${job.name}” (${job.status}) will be queued again as attempt ${job.attempt + 1}.`,
          action: "Retry job",
        });
        if (ok) {
          await run(retry, () =>
            request(`api/v1/jobs/${jobId}/retry`, { method: "POST", headers: { "Idempotency-Key": idempotencyKey() } }),
          );
        }
      });
      const remove = h("button", { type: "button", class: "danger", id: "delete-job" }, "Delete job");
      remove.addEventListener("click", async () => {
        const ok = await confirmAction({
          title: "Delete this job?",
          text: `“${job.name}”, its ${job.attempt} attempt(s) and their logs will be deleted for good.`,
          action: "Delete job",
        });
        if (!ok) return;
        gone = true;
        refetch.cancel();
        viewer.stop();
        // If-Match: only the job as shown here is deleted; a change since is a 412
        const deleted = await act(remove, message, () =>
          request(`api/v1/jobs/${jobId}`, { method: "DELETE", headers: etag ? { "If-Match": etag } : {} }).then(() => true),
        );
        if (deleted) navigate("#/jobs", `Job “${job.name}” deleted.`);
        else gone = false;
      });
      buttons.push(retry, remove);
    }
    replace(actions, buttons);
  }

  function renderJob() {
    title.textContent = job.name;
    replace(statusNode, badge(job.status));
    // a registered task's job has its task and JSON payload instead of a command ([])
    const what = job.task
      ? [
          field("Task", h("code", { id: "job-task" }, job.task)),
          field("Payload", jsonText(job.payload ?? null, "job-payload"), true),
        ]
      : [field("Command", h("code", { class: "argv", title: JSON.stringify(job.command) }, joinCommand(job.command)), true)];
    replace(
      details,
      field("Queue", h("a", { href: `#/jobs?queue=${encodeURIComponent(job.queue)}` }, job.queue)),
      field("Owner", job.owner),
      ...what,
      field("Priority", String(job.priority)),
      field("Labels", labelChips(job.labels)),
      field("Timeout", `${job.timeout_seconds} s`),
      field("Retries", `${job.retries_used} of ${job.max_retries} used (backoff ${job.retry_backoff_seconds} s)`),
      field("Run at", time(job.run_at)),
      field("Created", time(job.created_at)),
      field("Started", time(job.started_at)),
      field("Finished", time(job.finished_at)),
      field("Duration", job.started_at ? duration(between(job.started_at, job.finished_at)) : "—"),
      field("Exit code", job.exit_code === null ? "—" : h("span", { id: "job-exit" }, String(job.exit_code))),
      job.error ? field("Error", h("span", { class: "error-text" }, job.error), true) : null,
    );
    renderActions();
  }

  function renderExecutions(list) {
    const columns = [
      { label: "Attempt", class: "num", cell: (e) => `#${e.attempt}` },
      { label: "Status", cell: (e) => badge(e.status) },
      { label: "Worker", class: "mono", cell: (e) => e.worker },
      { label: "Started", cell: (e) => time(e.started_at) },
      { label: "Finished", cell: (e) => time(e.finished_at) },
      {
        label: "Duration",
        class: "num",
        cell: (e) => duration(e.duration_seconds ?? (e.finished_at ? null : between(e.started_at, null))),
      },
      { label: "Exit code", class: "num", cell: (e) => (e.exit_code === null ? "—" : String(e.exit_code)) },
      { label: "Error", cell: (e) => (e.error ? h("span", { class: "error-text" }, e.error) : "—") },
    ];
    // a task's JSON result (null for a command, and for an attempt without one)
    if (job && job.task) columns.splice(7, 0, { label: "Result", cell: (e) => (e.result === null || e.result === undefined ? "—" : jsonText(e.result)) });
    replace(executions, table(columns, list, { class: "executions", empty: "No attempt has started yet." }));
    viewer.setAttempts(list.map((e) => e.attempt));
  }

  async function load() {
    if (gone) return;
    try {
      const [fresh, page] = await Promise.all([
        get(`api/v1/jobs/${jobId}`, null, { signal: controller.signal }),
        get(`api/v1/jobs/${jobId}/executions`, { limit: 100 }, { signal: controller.signal }),
      ]);
      job = fresh;
      etag = fresh.etag || null;
      renderJob();
      renderExecutions(page.data);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error instanceof ApiError && error.status === 404 && !job) {
        replace(view, h("p", { class: "crumbs" }, h("a", { href: "#/jobs" }, "← Jobs")), h("h1", null, "Job not found"));
        view.append(h("p", null, error.describe()));
        return;
      }
      message.error(error);
    }
  }

  const refetch = throttle(load, 500);
  const stop = live.listen((event) => {
    if (gone) return;
    if (event.type === "resync" || (event.subject_type === "job" && event.subject_id === jobId)) {
      if (event.type === "job.deleted") {
        navigate("#/jobs", "The job was deleted.");
        return;
      }
      refetch();
    }
  });
  const ticker = setInterval(() => {
    // a running attempt's duration grows on screen
    if (job && job.status === "running") refetch();
  }, 5000);

  await load();
  return () => {
    stop();
    refetch.cancel();
    clearInterval(ticker);
    viewer.stop();
    controller.abort();
  };
}
