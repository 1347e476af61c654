"""Prometheus metrics: what operators graph and alert on (docs/operations.md lists them).

The metric objects are per process, as Prometheus client libraries intend; they hold counts only, never state the
service depends on. Under ``rackside server --workers N`` each worker writes its samples to files in
PROMETHEUS_MULTIPROC_DIR (set by the CLI before the workers start) and ``/metrics`` adds them up, so one scrape of
one machine covers all its workers whichever worker answers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from sync.protocol import CommandResult

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SIZES = (0, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)

REQUESTS = Counter(
    "rackside_http_requests_total",
    "HTTP requests answered, by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "rackside_http_request_duration_seconds", "Time to answer, by route template", ["method", "route"], buckets=_SECONDS
)
PUSHED = Counter("rackside_push_commands_total", "Commands received in pushes, by outcome", ["status"])
PUSH_BATCH = Histogram("rackside_push_batch_commands", "Commands per push request", buckets=_SIZES)
PULL_PAGE = Histogram("rackside_pull_page_records", "Records and tombstones per pull page", buckets=_SIZES)
REJECTIONS = Counter(
    "rackside_rejections_total",
    "Refused requests (kind=request) and rejected commands (kind=command), by stable error code",
    ["kind", "code"],
)
PUSH_CONFLICTS = Counter(
    "rackside_push_conflicts_total", "Push batches redone because another batch changed what they read meanwhile"
)

SLA_BREACHES = Counter(
    "rackside_sla_breaches_total",
    "SLA breaches the server's sweep recorded on incidents, by clock (response, restore)",
    ["clock"],
)


def observe_push(results: Sequence[CommandResult]) -> None:
    PUSH_BATCH.observe(len(results))
    for result in results:
        PUSHED.labels(result.status.value).inc()
        if result.status.value == "rejected" and result.error is not None:
            REJECTIONS.labels("command", result.error.code).inc()


def observe_pull(records: int) -> None:
    PULL_PAGE.observe(records)


def observe_refusal(code: str) -> None:
    REJECTIONS.labels("request", code).inc()


def exposition() -> tuple[bytes, str]:
    """The text a scrape gets, and its content type."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
