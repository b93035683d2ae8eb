"""App factory: a Starlette app that owns the lifespan (backends, dispatcher) and mounts the
Connexion app built from openapi/baton.yaml."""

from __future__ import annotations

import logging
import sys
import types
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from connexion import AsyncApp
from connexion.jsonifier import Jsonifier
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, WebSocketRoute

from baton import __version__
from baton.auth import AuthService
from baton.backends.execution import create_executor
from baton.backends.logs import create_log_store
from baton.backends.signals import create_signal
from baton.backends.storage import create_storage
from baton.context import STATE_KEY, Services
from baton.dispatcher import Dispatcher
from baton.eventhub import EventHub
from baton.events import EventService
from baton.handlers import handler_for
from baton.headers import SecurityHeadersMiddleware, cors_middleware_options
from baton.httpmetrics import HttpMetricsMiddleware, OperationLabelMiddleware
from baton.idempotency import IdempotencyMiddleware, idempotent_operations
from baton.lifecycle import JobService
from baton.limits import BodySizeLimitMiddleware
from baton.metrics import JobMetrics
from baton.models import Event
from baton.problems import (
    OUTER_HANDLERS,
    RequestIdMiddleware,
    StaticPathMethodMiddleware,
    allowed_methods,
    error_handlers,
)
from baton.ratelimit import (
    Limiter,
    RateLimitHeadersMiddleware,
    RateLimitMiddleware,
    create_limiter,
    parse_limits,
)
from baton.redoc import redoc_routes
from baton.scheduler import Scheduler
from baton.schedules import ScheduleService
from baton.security import BearerOnlyMiddleware
from baton.settings import Settings
from baton.spec import bearer_only_operations, load_spec, spec_dir
from baton.tasks import load_tasks
from baton.templates import TemplateService
from baton.templating import INVALID_TEMPLATE_PARAMETERS
from baton.ui import ui_routes
from baton.validation import VALIDATORS, validate_body
from baton.webhooks import WebhookService
from baton.websocket import websocket_endpoint
from baton.workflows import WorkflowService, upstream_environment

__all__ = ["create_app", "print_admin_credentials"]

log = logging.getLogger("baton")
# PATCH /api/v1/jobs/{job_id} takes application/json and application/merge-patch+json by design;
# Connexion would log that as a warning several times on every such request
logging.getLogger("connexion.operations.openapi3").addFilter(
    lambda record: "accepts multiple content types" not in record.getMessage()
)

# str-returning shim: Connexion appends "\n" to what dumps() returns
_orjson = types.SimpleNamespace(dumps=lambda data, **_: orjson.dumps(data).decode(), loads=orjson.loads)


def print_admin_credentials(username: str, password: str) -> None:
    print(
        "\n"
        "  Baton created the first admin account. Keep these credentials: they are shown once.\n"
        f"    username: {username}\n"
        f"    password: {password}\n",
        file=sys.stdout,
        flush=True,
    )


def _connexion_app(settings: Settings, limiter: Limiter) -> AsyncApp:
    middlewares = [
        m
        for m in ConnexionMiddleware.default_middlewares
        # Starlette owns the lifespan; response validation costs ~30% and belongs in tests
        if m is not LifespanMiddleware
        and (settings.validate_responses or m is not ResponseValidationMiddleware)
    ]
    app = AsyncApp(
        __name__,
        specification_dir=spec_dir(),
        middlewares=middlewares,
        jsonifier=Jsonifier(_orjson),
        validator_map=VALIDATORS,
        strict_validation=True,
        validate_responses=settings.validate_responses,
        swagger_ui_options=SwaggerUIOptions(swagger_ui_path="/docs"),
    )
    spec = load_spec()
    # the parsed document, not its file name: Connexion would parse the file again, slowly
    app.add_api(load_spec(), resolver=Resolver(handler_for))
    limits = parse_limits(settings.rate_limits)
    for position, inner in (
        (MiddlewarePosition.BEFORE_SECURITY, False),
        (MiddlewarePosition.BEFORE_VALIDATION, True),
    ):
        app.add_middleware(RateLimitMiddleware, position, limiter=limiter, limits=limits, inner=inner)
    # between the outer rate limit and security: an API key where only bearer tokens do is a 403
    app.add_middleware(
        BearerOnlyMiddleware, MiddlewarePosition.BEFORE_SECURITY, operations=bearer_only_operations(spec)
    )
    # right after routing: names the operation for the HTTP metrics (httpmetrics.py)
    app.add_middleware(OperationLabelMiddleware, MiddlewarePosition.BEFORE_SECURITY)
    # after security and validation: only authenticated, valid requests take part
    app.add_middleware(
        IdempotencyMiddleware, MiddlewarePosition.BEFORE_CONTEXT, operations=idempotent_operations(spec)
    )
    for exc_class, handler in error_handlers(allowed_methods(spec)):
        app.add_error_handler(exc_class, handler)
    # Connexion builds its routes at the first request; build them now so a spec/handler
    # mismatch stops start-up instead of failing requests (same steps as its __call__).
    stack = app.middleware
    stack.app, stack.middleware_stack = stack._build_middleware_stack()
    return app


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    # fail now, with the URL named, rather than at the first request
    storage = create_storage(settings.database_url)
    executor = create_executor(settings.executor_url, output_limit=settings.output_limit_bytes)
    logs = create_log_store(settings.log_url, max_bytes=settings.log_max_bytes)
    if hasattr(executor, "logs"):  # an executor that runs commands in this process
        executor.logs = logs
    if executor.name == "local":  # it runs registered tasks in this process: import them now
        load_tasks(settings.tasks)
    if hasattr(executor, "environment"):  # a workflow step's command reads its upstream results
        executor.environment = lambda job: upstream_environment(storage, job)
    limiter = create_limiter(settings)

    hub = EventHub(storage, settings.event_poll_seconds)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[dict[str, Any]]:
        await storage.connect()
        # an arq executor's Redis carries the signals too when no BATON_REDIS_URL is given
        redis_url = settings.redis_url or getattr(executor, "redis_url", None)
        signal = create_signal(redis_url, storage.dialect, storage.engine)

        def committed(events: list[Event]) -> None:
            hub.committed(events)
            signal.committed(events[-1].id)
            for event in events:
                if auth is not None:  # a revocation made here holds here at once
                    auth.cache.on_event(event)
                if jobs is not None:  # so does a queue's change
                    jobs.queues.on_event(event)

        auth: AuthService | None = None
        jobs: JobService | None = None
        storage.events_committed = committed
        dispatcher: Dispatcher | None = None
        scheduler: Scheduler | None = None
        try:
            await storage.migrate()
            auth = AuthService(storage, settings)
            await auth.start()
            cache_feed = hub.subscribe(auth.cache.on_event)  # revocations made by other processes
            generated = await auth.ensure_admin(settings.admin_username, settings.admin_password)
            if generated:
                print_admin_credentials(settings.admin_username, generated)
            jobs = JobService(
                storage,
                executor,
                wake=lambda: dispatcher.wake() if dispatcher else None,
                logs=logs,
                queue_cache_seconds=settings.queue_cache_seconds,
            )
            queue_feed = hub.subscribe(jobs.queues.on_event)  # queues changed by other processes
            await hub.start()
            await signal.listen(hub.wake)
            events = EventService(storage, hub, settings.event_retention_hours, settings.event_stream_buffer)
            dispatcher = Dispatcher(storage, executor, jobs, settings, events)
            await executor.start(jobs.record_outcome)
            await dispatcher.start()
            log.info("baton %s ready: storage=%s executor=%s", __version__, storage.dialect, executor.name)
            webhooks = WebhookService(storage, settings, dispatcher.deliveries)
            scheduler = Scheduler(storage, jobs)
            if settings.scheduler_enabled:
                await scheduler.start()
            templates = TemplateService(storage)
            schedules = ScheduleService(
                storage,
                scheduler,
                templates,
                lambda body: validate_body(
                    "JobCreate", body, code=INVALID_TEMPLATE_PARAMETERS, prefix="template.job."
                ),
            )
            yield {
                STATE_KEY: Services(
                    settings,
                    storage,
                    executor,
                    auth,
                    jobs,
                    dispatcher,
                    logs,
                    events,
                    webhooks,
                    schedules,
                    limiter,
                    JobMetrics(),
                    WorkflowService(storage, wake=dispatcher.wake, jobs=jobs),
                    templates,
                )
            }
        finally:
            if scheduler is not None:
                await scheduler.stop()
            if dispatcher is not None:
                await dispatcher.stop()
            await executor.stop()
            await hub.stop()
            await signal.stop()
            if auth is not None:
                cache_feed.close()
            if jobs is not None:
                queue_feed.close()
            await storage.close()
            await limiter.close()

    return Starlette(
        routes=[
            *redoc_routes(),
            *ui_routes(),
            # the WebSocket is no OpenAPI operation (openapi/baton.asyncapi.yaml describes it)
            WebSocketRoute("/api/v1/ws", websocket_endpoint),
            Mount("/", app=_connexion_app(settings, limiter)),
        ],
        middleware=[
            Middleware(HttpMetricsMiddleware),
            Middleware(RequestIdMiddleware),
            Middleware(SecurityHeadersMiddleware),
            Middleware(RateLimitHeadersMiddleware),
            # before anything that could refuse a CORS preflight (an OPTIONS no operation declares)
            *([Middleware(CORSMiddleware, **cors)] if (cors := cors_middleware_options(settings)) else []),
            Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(StaticPathMethodMiddleware, spec=load_spec()),
        ],
        lifespan=lifespan,
        exception_handlers=OUTER_HANDLERS,
    )
