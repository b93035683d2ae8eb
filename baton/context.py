"""The services one app instance shares, reached from a request's ASGI scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from baton.auth import AuthService
from baton.backends.execution import Executor
from baton.backends.logs import LogStore
from baton.backends.storage import StorageBackend
from baton.dispatcher import Dispatcher
from baton.events import EventService
from baton.lifecycle import JobService
from baton.models import Principal
from baton.schedules import ScheduleService
from baton.settings import Settings
from baton.templates import TemplateService
from baton.webhooks import WebhookService
from baton.workflows import WorkflowService

__all__ = ["Services", "audit", "client_address", "principal_of", "services", "services_from_scope"]

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
    events: EventService
    webhooks: WebhookService
    schedules: ScheduleService
    limiter: Any = None  # baton.ratelimit.Limiter: per process, or shared through Redis
    metrics: Any = None  # baton.metrics.JobMetrics: the job durations this process counted
    workflows: WorkflowService | None = None
    templates: TemplateService | None = None


def services_from_scope(scope: Any) -> Services:
    return scope["state"][STATE_KEY]


def services() -> Services:
    """For handlers: the services of the app serving the current request."""
    from connexion.context import scope

    return services_from_scope(scope)


def client_address() -> str | None:
    """For handlers: the address of the client of the current request (for the audit log)."""
    from connexion.context import scope

    client = scope.get("client")
    return client[0] if client else None


async def audit(action: str, token_info: dict[str, Any], target: tuple[str, str], **details: Any) -> None:
    """For handlers: record in the audit log what the caller just did."""
    await services().auth.audit.record(
        action, actor=principal_of(token_info), target=target, client=client_address(), details=details
    )


def principal_of(token_info: dict[str, Any]) -> Principal:
    return token_info["principal"]
