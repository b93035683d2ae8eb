"""The OpenAPI document, as shipped in the wheel, and what the code reads from it: where it lies,
the scopes each operation declares, the operations that take only bearer tokens."""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["bearer_only_operations", "load_spec", "operation_scopes", "spec_dir"]


def spec_dir() -> str:
    return str(resources.files("baton.openapi"))


@cache
def _spec_text() -> str:
    return (resources.files("baton.openapi") / "baton.yaml").read_text()


@cache
def _parsed_spec() -> dict[str, Any]:
    # libyaml's parser: the pure-Python one took ~0.3 s for this document, and a server start
    # read it three times (tests start a server per module, CLI commands one per call)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(_spec_text(), Loader=loader)


def load_spec() -> dict[str, Any]:
    """A fresh copy each time (callers may change it)."""
    return copy.deepcopy(_parsed_spec())


@cache
def operation_scopes() -> dict[str, frozenset[str]]:
    """operationId -> the scopes its OAuth2 requirement declares: what an API key needs too."""
    found: dict[str, frozenset[str]] = {}
    for item in load_spec()["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                scopes = next((r["OAuth2"] for r in operation.get("security", []) if "OAuth2" in r), [])
                found[operation["operationId"]] = frozenset(scopes)
    return found


def bearer_only_operations(spec: dict[str, Any]) -> frozenset[str]:
    """operationIds whose security takes OAuth2 (bearer tokens) but not ApiKey."""
    found = set()
    for item in spec["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            schemes = {
                name for requirement in operation.get("security", spec["security"]) for name in requirement
            }
            if "OAuth2" in schemes and "ApiKey" not in schemes:
                found.add(operation["operationId"])
    return frozenset(found)
