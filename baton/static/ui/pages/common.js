// What pages share: saying that a resource is missing on this server, and list paging.

import { ApiError, offers } from "../api.js";
import { h, replace } from "../dom.js";

// Schedules and workflows are newer than some servers. The OpenAPI document says whether this one
// has them; a 404 from the route itself (code NOT_FOUND, not e.g. JOB_NOT_FOUND) says the same.
export function missing(path, error) {
  if (!error) return !offers(path);
  return error instanceof ApiError && error.status === 404 && error.code === "NOT_FOUND";
}

export function notAvailable(node, what) {
  replace(
    node,
    h(
      "div",
      { class: "banner info", id: "not-available", role: "status" },
      `${what} are not available on this server. `,
      h("span", { class: "muted" }, "Its API has no such resource; a newer Baton version adds them."),
    ),
  );
}

// Next / First page buttons for a keyset-paginated list (its cursor is opaque)
export function pagerButtons(pagination, cursor, go) {
  return [
    cursor ? h("button", { type: "button", onclick: () => go("") }, "First page") : null,
    pagination.has_next ? h("button", { type: "button", onclick: () => go(pagination.next_cursor) }, "Next") : null,
  ];
}
