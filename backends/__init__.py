"""Backend registry: a URL scheme names a lazily imported `"module:Class"`.

Importing a backend only when its URL is used keeps optional drivers optional; a missing driver
becomes a start-up error that names the URL and the extra to install."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from baton.settings import redact

__all__ = ["BackendError", "BackendSpec", "load_class", "redact"]


class BackendError(RuntimeError):
    """A backend URL cannot be served: unknown scheme, missing driver, or bad options."""


@dataclass(frozen=True)
class BackendSpec:
    target: str  # "module:Class"
    requires: tuple[str, ...] = ()  # importable modules the backend needs
    extra: str | None = None  # pip extra that installs them


def load_class(kind: str, url: str, scheme: str, registry: dict[str, BackendSpec]) -> type:
    url = redact(url)  # only used in messages below
    spec = registry.get(scheme)
    if spec is None:
        known = ", ".join(sorted(registry))
        raise BackendError(f"{kind} URL {url!r}: unknown scheme {scheme!r} (known: {known})")
    for module in spec.requires:
        try:
            importlib.import_module(module)
        except ImportError:
            hint = f"pip install 'baton[{spec.extra}]'" if spec.extra else f"pip install {module}"
            raise BackendError(f"{kind} URL {url!r} needs the Python package {module!r}: {hint}") from None
    module_name, _, class_name = spec.target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)
