"""What a workflow step gets to see of the steps it depends on.

For a step, `upstream_results` builds ``{dependency_name: result}`` over its *direct*
dependencies, in the order of its depends_on. A result is a registered task's JSON result, or a
command's stdout tail (a string), or null when the dependency left none (it failed before
producing one, or was cancelled). The whole mapping, as compact UTF-8 JSON, is at most
UPSTREAM_RESULTS_LIMIT bytes (16 KiB): an environment variable stays well below the kernel's
limits and every dependency keeps a fair share. The budget is shared out smallest first, so small
results arrive whole and only the large ones are cut: a string keeps its *end* (a stdout tail's
newest lines) behind a leading "…", and any other JSON value that does not fit is replaced by
``{"truncated": true, "bytes": <its size>}``.

Commands receive the JSON in the environment variable BATON_UPSTREAM_RESULTS; tasks receive the
mapping as the payload field `upstream_results`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from baton.dag import Workflow

__all__ = [
    "UPSTREAM_RESULTS_ENV",
    "UPSTREAM_RESULTS_FIELD",
    "UPSTREAM_RESULTS_LIMIT",
    "encode_upstream_results",
    "upstream_results",
]

UPSTREAM_RESULTS_ENV = "BATON_UPSTREAM_RESULTS"
UPSTREAM_RESULTS_FIELD = "upstream_results"
UPSTREAM_RESULTS_LIMIT = 16 * 1024
_ELLIPSIS = "…"


def encode_upstream_results(results: Mapping[str, Any]) -> str:
    """The compact JSON a command finds in BATON_UPSTREAM_RESULTS (no NUL: JSON escapes it)."""
    return json.dumps(results, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _size(value: Any) -> int:
    return len(encode_upstream_results(value).encode())


def upstream_results(
    workflow: Workflow, step_name: str, results: Mapping[str, Any], *, limit: int = UPSTREAM_RESULTS_LIMIT
) -> dict[str, Any]:
    """The bounded mapping of the direct dependencies' results for `step_name` (see above)."""
    names = workflow.steps[step_name].depends_on
    if not names:
        return {}
    values = {name: _jsonable(results.get(name)) for name in names}
    # what the mapping costs besides its values: braces, keys, colons and commas
    frame = _size(dict.fromkeys(names, None)) - len(names) * _size(None)
    budget = max(limit - frame, 0)
    shaped: dict[str, Any] = {}
    by_size = sorted(names, key=lambda name: _size(values[name]))
    for position, name in enumerate(by_size):
        share = budget // (len(by_size) - position)  # what is left, split among those left
        shaped[name] = _fit(values[name], share)
        budget -= _size(shaped[name])
    return {name: shaped[name] for name in names}


def _jsonable(value: Any) -> Any:
    try:
        encode_upstream_results(value)
    except (TypeError, ValueError):
        return str(value)  # not JSON (NaN, bytes…): its text
    return value


def _fit(value: Any, budget: int) -> Any:
    size = _size(value)
    if size <= budget:
        return value
    if isinstance(value, str):
        return _tail(value, budget)
    marker = {"truncated": True, "bytes": size}
    return marker if _size(marker) <= budget else None


def _tail(text: str, budget: int) -> str | None:
    """The longest end of `text` that, behind an ellipsis, encodes within `budget` bytes."""
    if _size(_ELLIPSIS) > budget:
        return None
    text = text[-budget:]  # every character costs at least a byte
    low, high = 0, len(text)  # characters kept: `low` fits, `high` does not
    while high - low > 1:
        middle = (low + high) // 2
        if _size(_ELLIPSIS + text[len(text) - middle :]) <= budget:
            low = middle
        else:
            high = middle
    return _ELLIPSIS + text[len(text) - low :] if low else _ELLIPSIS
