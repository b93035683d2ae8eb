// Templates (on servers that have them): each named job or workflow with its kind, version,
// visibility and parameters; a template's page runs it.

import { get } from "../api.js";
import { badge, h, messages, replace, table, time } from "../dom.js";
import { missing, notAvailable, pagerButtons } from "./common.js";

export const PATH = "/api/v1/templates";

// the parameters' names, the required ones marked: "host*, retries"
export function parameterNames(schema) {
  const required = new Set((schema && schema.required) || []);
  const names = Object.keys((schema && schema.properties) || {});
  return names.length ? names.map((name) => (required.has(name) ? `${name}*` : name)).join(", ") : "—";
}

export async function mount(view) {
  const controller = new AbortController();
  const message = messages();
  const results = h("div", { id: "templates-results", "aria-live": "polite" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  let cursor = "";
  view.append(h("div", { class: "page-head" }, h("h1", null, "Templates")), message.node, results, pager);
  if (missing(PATH)) {
    notAvailable(results, "Templates");
    return null;
  }

  const columns = [
    {
      label: "Template",
      class: "name",
      cell: (t) => [h("a", { href: `#/templates/${t.id}` }, t.name), t.description ? h("small", { class: "muted" }, t.description) : null],
    },
    { label: "Kind", cell: (t) => t.kind },
    { label: "Version", class: "num", cell: (t) => String(t.version) },
    { label: "Visibility", cell: (t) => badge(t.visibility) },
    { label: "Parameters", class: "mono", cell: (t) => parameterNames(t.parameters) },
    { label: "Owner", cell: (t) => t.owner },
    { label: "Saved", cell: (t) => time(t.updated_at) },
  ];

  async function load() {
    try {
      const page = await get("api/v1/templates", { limit: 50, cursor: cursor || undefined }, { signal: controller.signal });
      replace(results, table(columns, page.data, { class: "templates", empty: "No template yet." }));
      replace(pager, pagerButtons(page.pagination, cursor, (next) => ((cursor = next), load())));
    } catch (error) {
      if (error.name === "AbortError") return;
      if (missing(PATH, error)) notAvailable(results, "Templates");
      else message.error(error);
    }
  }

  await load();
  return () => controller.abort();
}
