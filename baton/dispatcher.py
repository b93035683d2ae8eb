"""Background loops of one server process: dispatch due jobs to the executor, renew the leases of
the jobs it runs (and notice cancels made elsewhere), recover jobs whose worker vanished, and
fan the event log out to webhooks and deliver them, and advance workflows as their steps end.

A local executor may serve only some queues (`local://?queues=a,b`, leaving the others to pull
workers or arq workers) and has labels (`local://?labels=os=linux`): it claims only jobs of its
queues whose labels it has, as pull workers do.

With a queue-style executor (arq) the server runs nothing itself: dispatch hands due pending jobs
out to the queue (workers claim them), and a reconciler makes the queue agree with the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from baton import states
from baton.announcer import DEPTH_INTERVAL_SECONDS, Announcer
from baton.backends.execution import Executor, is_queue_executor
from baton.backends.storage import ClaimRequest, StorageBackend
from baton.eventhub import being_cancelled
from baton.events import EventService
from baton.lifecycle import JobService
from baton.settings import Settings
from baton.tasks import registered
from baton.timeutil import utcnow
from baton.webhook_fanout import Fanout
from baton.webhook_worker import DeliveryWorker
from baton.workflow_advancer import WorkflowAdvancer

__all__ = ["Dispatcher"]

log = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 600  # purge what expired (Idempotency-Key records, events, tickets), roll analytics
MAX_DUE_PAGES = 20  # queue executors: how far past jobs already handed out dispatch looks


class Dispatcher:
    def __init__(
        self,
        storage: StorageBackend,
        executor: Executor,
        jobs: JobService,
        settings: Settings,
        events: EventService,
    ) -> None:
        self.storage = storage
        self.executor = executor
        self.jobs = jobs
        self.settings = settings
        self.events = events
        self.announcer = Announcer(storage, events.hub, settings.worker_heartbeat_seconds)
        # webhooks: queue deliveries from the log, and send them
        self.deliveries = DeliveryWorker(storage, settings)
        self.fanout = Fanout(storage, events.hub, queued=self.deliveries.wake)
        # workflows: release or cancel the steps after each one that ends
        self.workflows = WorkflowAdvancer(storage, events.hub, released=self.wake)
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        if hasattr(executor, "lease_margin"):
            # an executor that runs commands here stops one whose lease was not renewed a heartbeat
            # before it runs out: by then another process may take the job over
            executor.lease_margin = settings.heartbeat_seconds
        if hasattr(executor, "slot_freed"):
            # a slot freed while due jobs wait: claim the next one now, not at the next poll
            executor.slot_freed = self.wake

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        # recover what a previous server left running before taking new work
        await self._guard("recover", self.jobs.recover_lost)
        self._tasks = [
            asyncio.create_task(
                self._loop("dispatch", self.dispatch_once, self.settings.poll_seconds, wakeable=True)
            ),
            asyncio.create_task(
                self._loop("heartbeat", self.heartbeat_once, self.settings.heartbeat_seconds)
            ),
            asyncio.create_task(
                self._loop("reconcile", self.jobs.recover_lost, self.settings.heartbeat_seconds)
            ),
            asyncio.create_task(self._loop("housekeeping", self.housekeeping_once, HOUSEKEEPING_SECONDS)),
            asyncio.create_task(self._loop("announce", self.announcer.announce_once, DEPTH_INTERVAL_SECONDS)),
            asyncio.create_task(
                self._waiting_loop(
                    "webhook fan-out",
                    self.fanout.fanout_once,
                    self.fanout.wait,
                    self.settings.event_poll_seconds,
                )
            ),
            asyncio.create_task(
                self._waiting_loop(
                    "workflow advance",
                    self.workflows.advance_once,
                    self.workflows.wait,
                    self.settings.poll_seconds,
                )
            ),
            asyncio.create_task(
                self._waiting_loop(
                    "webhook delivery",
                    self.deliveries.deliver_once,
                    self.deliveries.wait,
                    self.settings.poll_seconds,
                )
            ),
        ]
        if is_queue_executor(self.executor):
            interval = getattr(self.executor, "reconcile_seconds", 10.0)
            self._tasks.append(
                asyncio.create_task(self._loop("queue reconcile", self.reconcile_queue_once, interval))
            )

    async def stop(self) -> None:
        self.announcer.close()
        self.fanout.close()
        self.workflows.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.deliveries.stop()

    async def dispatch_once(self) -> int:
        now = utcnow()
        promoting = self.storage.promote_due(now, lambda job_id: states.promote(job_id, now))
        if is_queue_executor(self.executor):
            # the workers claim what they are handed; a hand-out Redis fails to take is made
            # again at the next tick (the job stays pending in the database meanwhile). The due
            # jobs are read while the scheduled ones are promoted (each read is a round trip,
            # ~1-3 ms on PostgreSQL, and a hand-out waited for both), then again if some were
            outcomes = await asyncio.gather(promoting, self._due_window(now), return_exceptions=True)
            failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
            if failures:  # both are over: a failure leaves no read running unawaited
                for other in failures[1:]:
                    log.warning("dispatch loop: %s: %s", type(other).__name__, other)
                raise failures[0]
            promoted, due = outcomes
            if promoted:
                due = await self._due_window(now)
            return await self.executor.enqueue(due)
        await promoting
        started = 0
        worker = self.executor.worker
        while (free := self.executor.free_slots()) > 0:
            lease = now + timedelta(seconds=self.settings.lease_seconds)
            request = ClaimRequest(
                limit=free,
                now=now,
                queues=self.executor.queues,
                labels=self.executor.labels,
                # the tasks registered in this process: not one only a pull worker can run
                tasks=frozenset(registered()),
            )
            claimed = (
                await self.storage.claim(
                    request,
                    lambda job_id, attempts, now=now, lease=lease: states.claim(
                        job_id, attempts, worker, now, lease
                    ),
                )
                or []
            )
            for job in claimed:
                await self.executor.submit(job)
            started += len(claimed)
            if len(claimed) < free:
                break
            now = utcnow()
        return started

    async def heartbeat_once(self) -> None:
        running = self.executor.running()
        if not running:
            return
        lease = utcnow() + timedelta(seconds=self.settings.lease_seconds)
        alive = await self.storage.renew_leases(running, self.executor.worker, lease)
        renewed = getattr(self.executor, "lease_renewed", None)
        cancel_attempt = getattr(self.executor, "cancel_attempt", None)
        for job_id, attempt in running.items():
            if job_id in alive:
                if renewed is not None:
                    renewed(job_id, attempt, lease)
            elif cancel_attempt is not None:
                # cancelled through another server process, or taken over after a lost lease:
                # this attempt only (a newer one of the same job may already run here)
                cancel_attempt(job_id, attempt, "The job was cancelled or reassigned")
            else:
                self.executor.cancel(job_id, "The job was cancelled or reassigned")

    async def _due_window(self, now) -> list:
        """Due pending jobs in dispatch order: a page, and further pages while every job of the
        last one was handed out already (their queue may have no worker: they must not hide the
        jobs behind them), up to MAX_DUE_PAGES pages."""
        batch = getattr(self.executor, "batch", 500)
        handed_out = getattr(self.executor, "handed_out", None)
        due: list = []
        after = None
        for _ in range(MAX_DUE_PAGES):
            page = await self.storage.due_pending(now, batch, after=after)
            due += page
            if len(page) < batch or handed_out is None or not handed_out(page):
                break
            after = page[-1]
        return due

    async def reconcile_queue_once(self) -> None:
        """Give the queue back what it lost (Redis restarted or was flushed) and drop hand-outs
        that can no longer be claimed (e.g. of workers killed while running them)."""
        due = await self._due_window(utcnow())
        report = await self.executor.reconcile(due, self.storage.job_states)
        if report.requeued or report.swept or report.released:
            log.info(
                "queue reconcile: %d due job(s) missing from the queue handed out again, %d hand-out(s) "
                "of workers gone before claiming released, %d stale hand-out(s) removed",
                report.requeued,
                report.released,
                report.swept,
            )

    async def housekeeping_once(self) -> None:
        now = utcnow()
        await self.storage.purge_idempotency_keys(now)
        await self.storage.purge_audit_events(now - timedelta(days=self.settings.audit_retention_days))
        await self.storage.purge_ws_tickets(now)
        await self.events.purge()
        # finished webhook deliveries are kept as long as the events they carried
        await self.storage.purge_deliveries(now - timedelta(hours=self.settings.event_retention_hours))
        await self.storage.roll_closed_analytics(now)

    async def _loop(self, name: str, step, interval: float, wakeable: bool = False) -> None:
        while True:
            await self._guard(name, step)
            if wakeable:
                with contextlib.suppress(TimeoutError):
                    # not wait_for: on 3.11 it can swallow a cancel arriving with a wake-up
                    async with asyncio.timeout(interval):
                        await self._wake.wait()
                self._wake.clear()
            else:
                await asyncio.sleep(interval)

    async def _waiting_loop(self, name: str, step, wait, interval: float) -> None:
        """`step`, then `wait(interval)` (which returns early when the step has news), forever."""
        while True:
            await self._guard(name, step)
            await wait(interval)

    @staticmethod
    async def _guard(name: str, step) -> None:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if being_cancelled():
                # a cancel that arrived mid-statement can surface as the driver's error (e.g.
                # PendingRollbackError): swallowing it would keep a stopping server looping
                raise asyncio.CancelledError from exc
            # the database may be down for a while; keep looping, the data is safe in it
            log.warning("%s loop: %s: %s", name, type(exc).__name__, exc)
