// A workflow's steps as a layered graph in SVG: each step a box colored by its status, placed in
// the layer after its deepest dependency, with an arrow from each dependency. Left to right on a
// wide screen, top to bottom on a narrow one (a chain of steps then stays readable at 375 px).
// Within a layer, steps are ordered by the mean position of their neighbours (two sweeps), which
// removes most crossings in the small graphs workflows have.

import { h } from "./dom.js";

const BOX_W = 168;
const BOX_H = 46;
const GAP_LAYER = 64;
const GAP_ITEM = 22;
const PAD = 12;

export function layers(steps) {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const depth = new Map();
  const visiting = new Set();
  const walk = (name) => {
    if (depth.has(name)) return depth.get(name);
    if (visiting.has(name)) return 0; // a cycle cannot be submitted; never loop on one anyway
    visiting.add(name);
    const step = byName.get(name);
    const deps = (step && step.depends_on) || [];
    const d = deps.filter((dep) => byName.has(dep)).reduce((max, dep) => Math.max(max, walk(dep) + 1), 0);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const result = [];
  for (const step of steps) {
    const d = walk(step.name);
    (result[d] = result[d] || []).push(step.name);
  }
  return result.map((layer) => layer || []);
}

function order(grid, steps) {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const successors = new Map(steps.map((s) => [s.name, []]));
  for (const s of steps) for (const dep of s.depends_on || []) if (successors.has(dep)) successors.get(dep).push(s.name);
  const position = new Map();
  const index = () => grid.forEach((layer) => layer.forEach((name, i) => position.set(name, i)));
  const mean = (names, fallback) => (names.length ? names.reduce((sum, n) => sum + position.get(n), 0) / names.length : fallback);
  index();
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let l = 1; l < grid.length; l++) {
      grid[l].sort((a, b) => mean(byName.get(a).depends_on || [], position.get(a)) - mean(byName.get(b).depends_on || [], position.get(b)));
      index();
    }
    for (let l = grid.length - 2; l >= 0; l--) {
      grid[l].sort((a, b) => mean(successors.get(a), position.get(a)) - mean(successors.get(b), position.get(b)));
      index();
    }
  }
  return grid;
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function workflowGraph(steps, { vertical = false } = {}) {
  const grid = order(layers(steps), steps);
  const widest = Math.max(1, ...grid.map((layer) => layer.length));
  const along = (l) => PAD + l * ((vertical ? BOX_H : BOX_W) + GAP_LAYER);
  const across = (l, i) => {
    const size = vertical ? BOX_W + GAP_ITEM : BOX_H + GAP_ITEM;
    return PAD + ((widest - grid[l].length) * size) / 2 + i * size;
  };
  const place = new Map();
  grid.forEach((layer, l) =>
    layer.forEach((name, i) => place.set(name, vertical ? { x: across(l, i), y: along(l) } : { x: along(l), y: across(l, i) })),
  );
  const width = vertical ? 2 * PAD + widest * (BOX_W + GAP_ITEM) - GAP_ITEM : 2 * PAD + grid.length * (BOX_W + GAP_LAYER) - GAP_LAYER;
  const height = vertical ? 2 * PAD + grid.length * (BOX_H + GAP_LAYER) - GAP_LAYER : 2 * PAD + widest * (BOX_H + GAP_ITEM) - GAP_ITEM;

  const svg = h("svg:svg", {
    viewBox: `0 0 ${width} ${height}`,
    width: String(width),
    height: String(height),
    class: "graph",
    role: "img",
    "aria-label": `Workflow graph: ${steps.length} steps`,
  });
  svg.append(
    h(
      "svg:defs",
      null,
      h(
        "svg:marker",
        { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" },
        h("svg:path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow" }),
      ),
    ),
  );
  const edges = h("svg:g", { class: "edges" });
  for (const step of steps) {
    const to = place.get(step.name);
    for (const dep of step.depends_on || []) {
      const from = place.get(dep);
      if (!from || !to) continue;
      let d;
      if (vertical) {
        const [x1, y1, x2, y2] = [from.x + BOX_W / 2, from.y + BOX_H, to.x + BOX_W / 2, to.y];
        const bend = (y2 - y1) / 2;
        d = `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`;
      } else {
        const [x1, y1, x2, y2] = [from.x + BOX_W, from.y + BOX_H / 2, to.x, to.y + BOX_H / 2];
        const bend = (x2 - x1) / 2;
        d = `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
      }
      edges.append(h("svg:path", { d, class: "edge", "marker-end": "url(#arrow)", dataset: { from: dep, to: step.name } }));
    }
  }
  svg.append(edges);
  for (const step of steps) {
    const { x, y } = place.get(step.name);
    const status = String(step.status || "unknown");
    const node = h(
      "svg:a",
      { href: step.job_id ? `#/jobs/${step.job_id}` : undefined, class: `node st-${status.replace(/[^a-z_]/g, "")}`, dataset: { step: step.name } },
      h("svg:title", null, `${step.name}: ${status.replace(/_/g, " ")}`),
      h("svg:rect", { x: String(x), y: String(y), width: String(BOX_W), height: String(BOX_H), rx: "7" }),
      h("svg:text", { x: String(x + 10), y: String(y + 19), class: "step-name" }, clip(step.name, 20)),
      h("svg:text", { x: String(x + 10), y: String(y + 36), class: "step-status" }, status.replace(/_/g, " ")),
    );
    svg.append(node);
  }
  return svg;
}
