"""Prometheus series of the integrations: outbox, deliveries, inbound events, workers, jobs.

Two kinds. The state of the outbox, the endpoints, the inbound events and the workers is
read from the database at scrape time by :class:`DatabaseCollector`: every web process
answers the same figures, so a scrape of any one of them is right for the whole cluster.
What happens inside one process (delivery attempts by endpoint, job run durations) is
counted by prometheus-client metrics in that process; with ``PROMETHEUS_MULTIPROC_DIR``
set the processes of one machine share them through files (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min, Sum
from django.utils import timezone
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

JOB_DURATION = Histogram(
    "luvat_job_duration_seconds",
    "Run time of one background job run, in this process (or machine, multiprocess mode).",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
DELIVERY_ATTEMPTS = Counter(
    "luvat_delivery_attempts",
    "Delivery attempts sent to an authority endpoint, by outcome (accepted, retry, permanent).",
    ["endpoint", "outcome"],
)


class DatabaseCollector(Collector):
    """Gauges computed from the database when Prometheus scrapes: a fixed number of queries."""

    def collect(self) -> Iterator[Metric]:
        # Imported here: the worker imports this module before the apps are loaded.
        from luvat.integrations.models import (
            EndpointCircuit,
            InboundEvent,
            JobLease,
            OutboxMessage,
            OutboxStatus,
            WorkerHeartbeat,
        )

        now = timezone.now()
        pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]

        depth = GaugeMetricFamily(
            "luvat_outbox_depth", "Outbox messages not yet delivered (pending)."
        )
        depth.add_metric([], pending.count())
        yield depth

        age = GaugeMetricFamily(
            "luvat_outbox_oldest_undelivered_age_seconds",
            "Age of the oldest undelivered outbox message, in seconds (0 when none).",
        )
        age.add_metric([], (now - oldest).total_seconds() if oldest else 0.0)
        yield age

        messages = GaugeMetricFamily(
            "luvat_outbox_messages",
            "Outbox messages by authority and status (pending, delivered, dead).",
            labels=["authority", "status"],
        )
        failures = GaugeMetricFamily(
            "luvat_outbox_failed_attempts",
            "Delivery attempts that did not deliver, by authority "
            "(attempts of pending and dead messages, and the attempts before the last of "
            "delivered ones).",
            labels=["authority"],
        )
        dead = GaugeMetricFamily(
            "luvat_outbox_dead_letters", "Outbox messages given up on (dead letters)."
        )
        failed_by_authority: dict[str, int] = {}
        dead_total = 0
        rows = (
            OutboxMessage.objects.values("authority_code", "status")
            .annotate(n=Count("id"), attempts=Sum("attempts"))
            .order_by("authority_code", "status")
        )
        for row in rows:
            authority, status, n = row["authority_code"], row["status"], row["n"]
            attempts = row["attempts"] or 0
            messages.add_metric([authority, status], n)
            failed = attempts - n if status == OutboxStatus.DELIVERED else attempts
            failed_by_authority[authority] = failed_by_authority.get(authority, 0) + failed
            if status == OutboxStatus.DEAD:
                dead_total += n
        for authority, failed in sorted(failed_by_authority.items()):
            failures.add_metric([authority], failed)
        dead.add_metric([], dead_total)
        yield messages
        yield failures
        yield dead

        consecutive = GaugeMetricFamily(
            "luvat_endpoint_consecutive_failures",
            "Failed deliveries in a row to an endpoint (its circuit breaker's count).",
            labels=["endpoint"],
        )
        circuit_open = GaugeMetricFamily(
            "luvat_endpoint_circuit_open",
            "1 when an endpoint's circuit breaker is not closed (deliveries held).",
            labels=["endpoint"],
        )
        for circuit in EndpointCircuit.objects.select_related("endpoint").order_by(
            "endpoint__code"
        ):
            consecutive.add_metric([circuit.endpoint.code], circuit.consecutive_failures)
            circuit_open.add_metric([circuit.endpoint.code], 0 if circuit.status == "closed" else 1)
        yield consecutive
        yield circuit_open

        inbound = GaugeMetricFamily(
            "luvat_inbound_status_events",
            "Status events received from authority systems, by authority, transport and outcome.",
            labels=["authority", "transport", "outcome"],
        )
        for row in (
            InboundEvent.objects.values("authority_code", "transport", "outcome")
            .annotate(n=Count("id"))
            .order_by("authority_code", "transport", "outcome")
        ):
            inbound.add_metric([row["authority_code"], row["transport"], row["outcome"]], row["n"])
        yield inbound

        heartbeat = GaugeMetricFamily(
            "luvat_worker_heartbeat_age_seconds",
            "Seconds since each worker last wrote its heartbeat (it writes every 10 s).",
            labels=["worker"],
        )
        jobs_run = GaugeMetricFamily(
            "luvat_worker_jobs_run",
            "Job runs a worker has done since it started, as of its last heartbeat.",
            labels=["worker"],
        )
        for beat in WorkerHeartbeat.objects.order_by("worker_id"):
            heartbeat.add_metric([beat.worker_id], (now - beat.last_seen_at).total_seconds())
            jobs_run.add_metric([beat.worker_id], beat.jobs_run)
        yield heartbeat
        yield jobs_run

        last_started = GaugeMetricFamily(
            "luvat_job_last_started_timestamp_seconds",
            "When a once-per-cluster job last started anywhere in the cluster (Unix time).",
            labels=["job"],
        )
        for lease in JobLease.objects.exclude(last_started_at=None).order_by("name"):
            if lease.last_started_at is not None:
                last_started.add_metric([lease.name], lease.last_started_at.timestamp())
        yield last_started
