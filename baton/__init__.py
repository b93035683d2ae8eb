"""Baton: a spec-first job orchestrator."""

from __future__ import annotations

import warnings

__all__ = ["__version__"]

__version__ = "0.1.0"

# connexion 3.3 imports starlette.testclient at import time; newer Starlette warns about the
# httpx it uses there. Nothing in Baton uses that test client.
warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
