"""The import structure stays one-way (DESIGN.md §1-2): handlers and the HTTP/process layer may
use services, services may use backends and the domain, backends only the domain, and the domain
nothing of the others. Services know nothing of HTTP or SQL, and no two modules import each other
(not even through an import inside a function). Read from the source, so a new module is checked
the moment it exists."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"baton": ROOT / "baton", "baton.handlers": ROOT / "handlers", "baton.backends": ROOT / "backends"}

# the HTTP layer and the process entry points: they may use everything below them
INTERFACE = {
    "baton.__main__", "baton.app", "baton.cli", "baton.conditional", "baton.console",
    "baton.console_output", "baton.console_session", "baton.context", "baton.export", "baton.follow",
    "baton.httpmetrics", "baton.metrics",
    "baton.headers", "baton.health", "baton.idempotency", "baton.limits", "baton.logs", "baton.problems",
    "baton.pull_client", "baton.pull_worker", "baton.ratelimit", "baton.redoc", "baton.security",
    "baton.streams", "baton.ui", "baton.validation", "baton.views", "baton.websocket", "baton.worker",
    "baton.workflow_views",
}  # fmt: skip
# the execution machinery (running commands and tasks), part of the execution backends
BACKENDS = {"baton.runner", "baton.tasks"}
# the domain: data, rules and pure functions, used by every layer, using none
DOMAIN = {
    "baton", "baton.cron", "baton.dag", "baton.errors", "baton.eventtypes", "baton.models",
    "baton.netguard", "baton.pagination", "baton.schedule_policy", "baton.settings", "baton.spec",
    "baton.states", "baton.templating", "baton.timeutil", "baton.triggers", "baton.upstream",
    "baton.webhook_retry", "baton.webhook_signing", "baton.workflow_state",
}  # fmt: skip
RANK = {"interface": 3, "handlers": 3, "services": 2, "backends": 1, "domain": 0}
# what a service may not touch: it speaks the domain, not HTTP or SQL
NOT_FOR_SERVICES = ("starlette", "connexion", "sqlalchemy", "uvicorn")


def modules() -> dict[str, Path]:
    found = {}
    for prefix, root in PACKAGES.items():
        for path in root.rglob("*.py"):
            parts = [p for p in path.relative_to(root).with_suffix("").parts if p != "__init__"]
            if prefix == "baton" and parts and parts[0] == "migrations":
                continue
            found[".".join([prefix, *parts])] = path
    return found


def layer(name: str) -> str:
    if name.startswith("baton.handlers"):
        return "handlers"
    if name.startswith("baton.backends") or name in BACKENDS:
        return "backends"
    if name in INTERFACE:
        return "interface"
    if name in DOMAIN:
        return "domain"
    return "services"


def runtime_imports(path: Path) -> list[str]:
    """Every module an import statement names, at any depth, except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text())
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    names = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


MODULES = modules()
GRAPH = {
    name: sorted({target for target in runtime_imports(path) if target in MODULES and target != name})
    for name, path in MODULES.items()
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_the_layers(name: str) -> None:
    mine = layer(name)
    upward = [t for t in GRAPH[name] if RANK[layer(t)] > RANK[mine]]
    assert not upward, f"{name} ({mine}) imports from a higher layer: {upward}"
    if mine == "handlers":
        assert not [t for t in GRAPH[name] if layer(t) == "backends"], f"{name} skips the services"
    if mine in {"services", "domain"}:
        foreign = [t for t in runtime_imports(MODULES[name]) if t.split(".")[0] in NOT_FOR_SERVICES]
        assert not foreign, f"{name} ({mine}) speaks HTTP or SQL: {sorted(set(foreign))}"


def test_no_import_cycles() -> None:
    sys.setrecursionlimit(10_000)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    assert cycles == []
