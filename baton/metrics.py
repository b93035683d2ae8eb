"""GET /metrics: Prometheus text from two sources.

- Jobs, queues, workers and job durations come from the database at scrape time, so any server
  process answers with the same figures. Durations are a counter-like histogram: each process
  adds the executions finished since its previous scrape (ix_executions_finished) to what it
  counted before, reading up to LAG seconds ago so a commit still in flight is not skipped.
- HTTP requests (httpmetrics.py) are counted by each process; with PROMETHEUS_MULTIPROC_DIR set
  (`baton serve` does it when BATON_WORKERS > 1) prometheus_client sums every process's files.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from baton.backends.storage import StorageBackend
from baton.backends.storage.metrics import DurationCounts, MetricsSnapshot
from baton.httpmetrics import HTTP_REGISTRY
from baton.models import JobStatus
from baton.timeutil import utcnow

__all__ = ["CONTENT_TYPE", "DURATION_BUCKETS", "JobMetrics", "render"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
DURATION_BUCKETS = (0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
LAG = timedelta(seconds=5)


@dataclass
class _Figures:
    snapshot: MetricsSnapshot
    fleet: dict[str, Any]
    durations: dict[str, DurationCounts]
    now: datetime


@dataclass
class JobMetrics:
    """The durations counted so far by this process, and up to when."""

    counted: dict[str, DurationCounts] = field(default_factory=dict)
    up_to: datetime | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def durations(self, storage: StorageBackend, now: datetime) -> dict[str, DurationCounts]:
        async with self.lock:  # two scrapes at once must not count the same executions twice
            up_to = now - LAG
            if self.up_to is None or up_to > self.up_to:
                added = await storage.duration_counts(self.up_to, up_to, DURATION_BUCKETS)
                for queue, more in added.items():
                    have = self.counted.setdefault(queue, DurationCounts([0] * len(DURATION_BUCKETS)))
                    have.at_most = [a + b for a, b in zip(have.at_most, more.at_most, strict=True)]
                    have.count += more.count
                    have.total += more.total
                self.up_to = up_to
            return self.counted


class _DatabaseCollector(Collector):
    def __init__(self, figures: _Figures) -> None:
        self.figures = figures

    def collect(self) -> Iterator[Any]:
        f = self.figures
        by_queue = GaugeMetricFamily(
            "baton_jobs", "Jobs by status and queue, now.", labels=["queue", "status"]
        )
        depth = GaugeMetricFamily("baton_queue_depth", "Pending jobs per queue, now.", labels=["queue"])
        pending: dict[str, int] = {}
        for queue, status, count in sorted(f.snapshot.jobs):
            by_queue.add_metric([queue, status], count)
            if status == JobStatus.PENDING.value:
                pending[queue] = count
        for queue in sorted({queue for queue, _, _ in f.snapshot.jobs}):
            depth.add_metric([queue], pending.get(queue, 0))
        wait = GaugeMetricFamily(
            "baton_queue_oldest_wait_seconds",
            "How long the longest-waiting pending job of each queue has been due.",
            labels=["queue"],
        )
        for queue, due in sorted(f.snapshot.oldest_pending.items()):
            wait.add_metric([queue], max(0.0, (f.now - due).total_seconds()))
        workers = GaugeMetricFamily(
            "baton_workers", "Pull workers by status (from their heartbeats).", labels=["status"]
        )
        for status in ("online", "stale", "offline"):
            workers.add_metric([status], f.fleet["workers"][status])
        capacity = GaugeMetricFamily("baton_worker_capacity", "Job slots of workers online or stale.")
        capacity.add_metric([], f.fleet["capacity"])
        load = GaugeMetricFamily("baton_worker_load", "Jobs running on workers online or stale.")
        load.add_metric([], f.fleet["load"])
        durations = HistogramMetricFamily(
            "baton_job_duration_seconds",
            "How long finished executions ran, per queue of their job.",
            labels=["queue"],
        )
        for queue, counts in sorted(f.durations.items()):
            buckets = [(_le(bound), n) for bound, n in zip(DURATION_BUCKETS, counts.at_most, strict=True)]
            buckets.append(("+Inf", counts.count))
            durations.add_metric([queue], buckets, counts.total)
        yield from (by_queue, depth, wait, workers, capacity, load, durations)


def _le(bound: float) -> str:
    return repr(float(bound))


async def render(storage: StorageBackend, fleet: dict[str, Any], job_metrics: JobMetrics) -> bytes:
    """The whole exposition: the database's figures, then this server's HTTP metrics."""
    now = utcnow()
    figures = _Figures(
        snapshot=await storage.metrics_snapshot(now),
        fleet=fleet,
        durations=await job_metrics.durations(storage, now),
        now=now,
    )
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_DatabaseCollector(figures))
    http = HTTP_REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        http = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(http)  # every process's HTTP counters, summed
    return generate_latest(registry) + generate_latest(http)
