import pytest
from django.core.management import call_command

from luvat.integrations import worker as worker_module
from luvat.integrations.models import WorkerHeartbeat
from luvat.integrations.worker import Worker, register_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(worker_module, "_registry", {})


def test_due_jobs_run_and_wait_for_their_interval(clean_registry):
    calls = []

    def job():
        calls.append(1)
        return 1

    register_job("test.job", job, interval_seconds=3600)
    worker = Worker(poll_seconds=0.01)
    assert worker.run_due_jobs() == 1
    assert worker.run_due_jobs() == 0
    assert calls == [1]


def test_a_failing_job_does_not_stop_the_others(clean_registry):
    calls = []

    def broken():
        raise RuntimeError("boom")

    register_job("a.broken", broken, interval_seconds=1)
    register_job("b.fine", lambda: calls.append("fine"), interval_seconds=1)
    assert Worker(poll_seconds=0.01).run_due_jobs() == 2
    assert calls == ["fine"]


def test_heartbeat_is_recorded_and_refreshed():
    worker = Worker(poll_seconds=0.01)
    worker.heartbeat(starting=True)
    first = WorkerHeartbeat.objects.get(worker_id=worker.worker_id).last_seen_at
    worker.heartbeat()
    assert WorkerHeartbeat.objects.get(worker_id=worker.worker_id).last_seen_at >= first
    assert WorkerHeartbeat.objects.count() == 1


def test_worker_command_once(clean_registry, capsys):
    register_job("test.once", lambda: 0, interval_seconds=1)
    call_command("worker", once=True)
    assert "ran 1 job(s): test.once" in capsys.readouterr().out
    assert WorkerHeartbeat.objects.exists()


def test_sigterm_lets_the_running_job_finish_its_batch_then_stops(clean_registry, capsys):
    """`luvat worker` on SIGTERM: the job in progress completes, no further job starts."""
    import os
    import signal

    done: list[object] = []

    def batch():
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the batch is in progress
        done.extend(range(10))  # the rest of the batch still runs
        return len(done)

    def later():
        done.append("later")
        return 1

    register_job("a.batch", batch, interval_seconds=3600)
    register_job("b.later", later, interval_seconds=3600)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        call_command("worker")  # returns only because SIGTERM stopped it
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert done == list(range(10))
    assert "b.later" in capsys.readouterr().out
