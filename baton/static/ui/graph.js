// A workflow's steps as a layered graph in SVG (after Sugiyama): each step a box colored by its
// status, in the layer after its deepest dependency, with an arrow from each dependency. An
// arrow that skips layers runs through a free slot of each layer it crosses, so it never passes
// behind a box. Within a layer, slots are ordered by the mean position of their neighbours (two
// sweeps each way), which removes most crossings in the small graphs workflows have. Left to
// right on a wide screen, top to bottom on a narrow one (a chain then stays readable at 375 px).

import { h } from "./dom.js";

const BOX_W = 168;
const BOX_H = 46;
const GAP_LAYER = 64;
const GAP_ITEM = 22;
const PAD = 12;

// the layer of each step: 0 without dependencies, else one more than its deepest dependency
export function depths(steps) {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const depth = new Map();
  const visiting = new Set();
  const walk = (name) => {
    if (depth.has(name)) return depth.get(name);
    if (visiting.has(name)) return 0; // a cycle cannot be submitted; never loop on one anyway
    visiting.add(name);
    const deps = (byName.get(name).depends_on || []).filter((dep) => byName.has(dep));
    const d = deps.reduce((max, dep) => Math.max(max, walk(dep) + 1), 0);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const step of steps) walk(step.name);
  return depth;
}

// pass-through slots of long arrows are named "\0n": no step name holds a NUL
const DUMMY = "\u0000";

// slots per layer (step names, and pass-through slots of long arrows), and each arrow's slots
function arrange(steps) {
  const depth = depths(steps);
  const names = new Set(steps.map((s) => s.name));
  const grid = [];
  const put = (id, layer) => (grid[layer] = grid[layer] || []).push(id);
  for (const step of steps) put(step.name, depth.get(step.name));
  const preds = new Map(steps.map((s) => [s.name, []]));
  const succs = new Map(steps.map((s) => [s.name, []]));
  const arrows = [];
  let dummies = 0;
  for (const step of steps) {
    for (const dep of step.depends_on || []) {
      if (!names.has(dep)) continue;
      const chain = [dep];
      for (let layer = depth.get(dep) + 1; layer < depth.get(step.name); layer++) {
        const id = `${DUMMY}${dummies++}`;
        put(id, layer);
        preds.set(id, []);
        succs.set(id, []);
        chain.push(id);
      }
      chain.push(step.name);
      for (let i = 1; i < chain.length; i++) {
        preds.get(chain[i]).push(chain[i - 1]);
        succs.get(chain[i - 1]).push(chain[i]);
      }
      arrows.push({ from: dep, to: step.name, chain });
    }
  }
  for (let l = 0; l < grid.length; l++) grid[l] = grid[l] || [];
  const position = new Map();
  const index = () => grid.forEach((layer) => layer.forEach((id, i) => position.set(id, i)));
  const mean = (ids, fallback) => (ids.length ? ids.reduce((sum, id) => sum + position.get(id), 0) / ids.length : fallback);
  const by = (neighbours) => (a, b) => mean(neighbours.get(a), position.get(a)) - mean(neighbours.get(b), position.get(b));
  index();
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let l = 1; l < grid.length; l++) {
      grid[l].sort(by(preds));
      index();
    }
    for (let l = grid.length - 2; l >= 0; l--) {
      grid[l].sort(by(succs));
      index();
    }
  }
  return { grid, arrows };
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function workflowGraph(steps, { vertical = false } = {}) {
  const { grid, arrows } = arrange(steps);
  const widest = Math.max(1, ...grid.map((layer) => layer.length));
  const size = vertical ? BOX_W + GAP_ITEM : BOX_H + GAP_ITEM; // a slot across the layer
  const place = new Map(); // slot id -> top-left corner of its box
  grid.forEach((layer, l) =>
    layer.forEach((id, i) => {
      const along = PAD + l * ((vertical ? BOX_H : BOX_W) + GAP_LAYER);
      const across = PAD + ((widest - layer.length) * size) / 2 + i * size;
      place.set(id, vertical ? { x: across, y: along } : { x: along, y: across });
    }),
  );
  const width = vertical ? 2 * PAD + widest * size - GAP_ITEM : 2 * PAD + grid.length * (BOX_W + GAP_LAYER) - GAP_LAYER;
  const height = vertical ? 2 * PAD + grid.length * (BOX_H + GAP_LAYER) - GAP_LAYER : 2 * PAD + widest * size - GAP_ITEM;

  // where an arrow enters and leaves a slot: the middle of the box's edges along the flow
  const entry = (id) => {
    const p = place.get(id);
    return vertical ? [p.x + BOX_W / 2, p.y] : [p.x, p.y + BOX_H / 2];
  };
  const exit = (id) => {
    const p = place.get(id);
    return vertical ? [p.x + BOX_W / 2, p.y + BOX_H] : [p.x + BOX_W, p.y + BOX_H / 2];
  };
  const curve = ([x1, y1], [x2, y2]) => {
    if (vertical) {
      const bend = (y2 - y1) / 2;
      return `C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`;
    }
    const bend = (x2 - x1) / 2;
    return `C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
  };

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
  for (const { from, to, chain } of arrows) {
    let point = exit(chain[0]);
    let d = `M ${point[0]} ${point[1]}`;
    for (const id of chain.slice(1)) {
      const into = entry(id);
      d += ` ${curve(point, into)}`;
      if (id.startsWith(DUMMY)) {
        // straight through the free slot of a layer it crosses
        point = exit(id);
        d += ` L ${point[0]} ${point[1]}`;
      } else point = into;
    }
    edges.append(h("svg:path", { d, class: "edge", "marker-end": "url(#arrow)", dataset: { from, to } }));
  }
  svg.append(edges);
  for (const step of steps) {
    const { x, y } = place.get(step.name);
    const status = String(step.status || "unknown");
    svg.append(
      h(
        "svg:a",
        {
          href: step.job_id ? `#/jobs/${step.job_id}` : undefined,
          class: `node st-${status.replace(/[^a-z_]/g, "")}`,
          dataset: { step: step.name },
        },
        h("svg:title", null, `${step.name}: ${status.replace(/_/g, " ")}`),
        h("svg:rect", { x: String(x), y: String(y), width: String(BOX_W), height: String(BOX_H), rx: "7" }),
        h("svg:text", { x: String(x + 10), y: String(y + 19), class: "step-name" }, clip(step.name, 20)),
        h("svg:text", { x: String(x + 10), y: String(y + 36), class: "step-status" }, status.replace(/_/g, " ")),
      ),
    );
  }
  return svg;
}
