"""The services one app instance shares, reached from a request's ASGI scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from baton.auth import AuthService
from baton.backends.execution import Executor
from baton.backends.logs import LogStore
from baton.backends.storage import StorageBackend
from baton.dispatcher import Dispatcher
from baton.lifecycle import JobService
from baton.models import Principal
from baton.settings import Settings

__all__ = ["Services", "principal_of", "services", "services_from_scope"]

STATE_KEY = "baton"


@dataclass
class Services:
    settings: Settings
    storage: StorageBackend
    executor: Executor
    auth: AuthService
    jobs: JobService
    dispatcher: Dispatcher
    logs: LogStore


def services_from_scope(scope: Any) -> Services:
    return scope["state"][STATE_KEY]


def services() -> Services:
    """For handlers: the services of the app serving the current request."""
    from connexion.context import scope

    return services_from_scope(scope)


def principal_of(token_info: dict[str, Any]) -> Principal:
    return token_info["principal"]
