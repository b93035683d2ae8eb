// One template: what it is, its definition (markers included, as JSON text), and a form of its
// parameters that runs it, then opens the job or workflow it created.

import { ApiError, can, get, idempotencyKey, post } from "../api.js";
import { badge, h, messages, replace, time } from "../dom.js";
import { missing, notAvailable } from "./common.js";
import { PATH } from "./templates.js";

// one input per declared parameter; numbers and booleans typed, objects and arrays as JSON
function parameterField(name, schema, required) {
  const id = `p-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const type = schema.type;
  const hint = [type, schema.description].filter(Boolean).join(" — ");
  let input;
  if (type === "boolean") {
    input = h("input", { id, type: "checkbox", checked: schema.default === true, dataset: { param: name } });
  } else {
    const numeric = type === "integer" || type === "number";
    input = h("input", {
      id,
      type: numeric ? "number" : "text",
      step: type === "number" ? "any" : undefined,
      min: schema.minimum !== undefined ? String(schema.minimum) : undefined,
      max: schema.maximum !== undefined ? String(schema.maximum) : undefined,
      placeholder: schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined,
      required: required || undefined,
      autocomplete: "off",
      spellcheck: "false",
      dataset: { param: name },
    });
  }
  const note = hint ? h("small", { class: "muted" }, hint) : null;
  if (type === "boolean") return { name, type, input, node: h("div", { class: "field" }, h("label", { class: "check" }, input, ` ${name}`), note) };
  const label = h("label", { for: id }, name, required ? " *" : "");
  return { name, type, input, node: h("div", { class: "field" }, label, input, note) };
}

// the values typed: empty fields are left out (the server fills in defaults)
function valuesOf(fields) {
  const values = {};
  for (const { name, type, input } of fields) {
    if (type === "boolean") values[name] = input.checked;
    else if (input.value.trim() === "") continue;
    else if (type === "integer" || type === "number") values[name] = Number(input.value);
    else if (type === "object" || type === "array") values[name] = JSON.parse(input.value);
    else values[name] = input.value;
  }
  return values;
}

export async function mount(view, { params, navigate }) {
  const [templateId] = params;
  const controller = new AbortController();
  const message = messages();
  const title = h("h1", null, "Template");
  const facts = h("dl", { class: "facts" });
  const runCard = h("section", { class: "card", "aria-labelledby": "run-title" });
  const definition = h("code", { class: "json", id: "template-definition" });
  view.append(h("p", { class: "crumbs" }, h("a", { href: "#/templates" }, "← Templates")), h("div", { class: "page-head" }, title), message.node);
  if (missing(PATH)) {
    const node = h("div");
    view.append(node);
    notAvailable(node, "Templates");
    return null;
  }
  view.append(
    h("section", { class: "card", "aria-label": "About" }, facts),
    runCard,
    h("section", { class: "card", "aria-labelledby": "def-title" }, h("h2", { id: "def-title" }, "Definition"), h("pre", null, definition)),
  );

  function runForm(template) {
    const schema = template.parameters || {};
    const required = new Set(schema.required || []);
    const fields = Object.entries(schema.properties || {}).map(([name, sub]) => parameterField(name, sub || {}, required.has(name)));
    const button = h("button", { type: "submit", class: "primary", id: "run-template" }, `Run ${template.kind}`);
    const form = h("form", { class: "run-template" }, h("div", { class: "grid" }, fields.map((f) => f.node)), h("div", { class: "actions" }, button));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      message.clear();
      let values;
      try {
        values = valuesOf(fields);
      } catch (error) {
        message.error(new Error(`A parameter is not JSON: ${error.message}`));
        return;
      }
      button.disabled = true;
      try {
        const run = await post(`api/v1/templates/${templateId}/run`, { parameters: values, version: template.version }, { headers: { "Idempotency-Key": idempotencyKey() } });
        if (run.kind === "workflow") navigate(`#/workflows/${run.workflow.id}`, `Workflow “${run.workflow.name}” started.`);
        else navigate(`#/jobs/${run.job.id}`, `Job “${run.job.name}” submitted.`);
      } catch (error) {
        message.error(error);
      } finally {
        button.disabled = false;
      }
    });
    return [h("h2", { id: "run-title" }, "Run"), fields.length ? null : h("p", { class: "muted" }, "It takes no parameter."), form];
  }

  try {
    const template = await get(`api/v1/templates/${templateId}`, null, { signal: controller.signal });
    title.textContent = template.name;
    const fact = (label, value) => h("div", null, h("dt", null, label), h("dd", null, value));
    replace(
      facts,
      fact("Kind", template.kind),
      fact("Version", `${template.version}${template.latest_version ? ` of ${template.latest_version}` : ""}`),
      fact("Visibility", badge(template.visibility)),
      fact("Owner", template.owner),
      fact("Saved", time(template.updated_at)),
      template.description ? fact("Description", template.description) : null,
    );
    definition.textContent = JSON.stringify(template.definition, null, 2);
    if (can("jobs:write")) replace(runCard, runForm(template));
    else runCard.hidden = true;
  } catch (error) {
    if (error.name === "AbortError") return null;
    if (error instanceof ApiError && error.status === 404) title.textContent = "Template not found";
    message.error(error);
  }
  return () => controller.abort();
}
