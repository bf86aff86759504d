"""Jobs compute pure core work in child processes, two at once, and fall back to a thread."""

from __future__ import annotations

import os
import threading
import time

import pytest

from rsiviz.core.params import ParameterError


# -- functions the children run (module level: pickled by reference) ------------------------
def pid_after(n: int, pause_s: float, progress) -> int:
    for i in range(n):
        progress(i + 1, n)
        time.sleep(pause_s)
    return os.getpid()


def fails_after(n: int, progress) -> int:
    for i in range(n):
        progress(i + 1, n)
        time.sleep(0.01)
    raise ParameterError("software_returns = 9 is out of range")


@pytest.fixture
def jobs(qtbot):
    from rsiviz.gui.jobs import Jobs

    j = Jobs()
    yield j
    j.shutdown()


def _run(jobs, calls, key="fan"):
    """Submit a job of ``calls`` through compute_many; (results, errors, progress seen)."""
    results, errors, seen = [], [], []
    jobs.progress.connect(lambda k, done, total: seen.append((done, total)))
    jobs.submit(key, lambda p: jobs.compute_many(calls, p), results.append, errors.append)
    return results, errors, seen


def _threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("rsiviz-job-")]


def test_two_parts_run_in_two_child_processes_and_come_back_in_order(jobs, qtbot) -> None:
    results, errors, seen = _run(jobs, [(pid_after, (10, 0.02)), (pid_after, (30, 0.01))])
    assert jobs.wait_idle(30)
    assert errors == []
    [pids] = results
    assert len(set(pids)) == 2 and os.getpid() not in pids
    assert sorted(pids) == sorted(jobs.child_pids())
    assert seen and seen[-1] == (40, 40)  # progress is the sum of both parts'
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cancelling_stops_both_children_and_they_serve_the_next_job(jobs, qtbot) -> None:
    results, errors, _ = _run(jobs, [(pid_after, (5_000, 0.002)), (pid_after, (5_000, 0.002))])
    qtbot.waitUntil(lambda: len(jobs.child_pids()) == 2 and jobs.busy("fan"), timeout=10_000)
    time.sleep(0.3)
    pids = sorted(jobs.child_pids())
    start = time.monotonic()
    jobs.cancel("fan")
    assert jobs.wait_idle(10)
    assert time.monotonic() - start < 5.0  # 5,000 x 2 ms would take 10 s
    assert results == [] and errors == []
    qtbot.waitUntil(lambda: not _threads(), timeout=2000)
    again, _, _ = _run(jobs, [(pid_after, (1, 0.0)), (pid_after, (1, 0.0))], key="next")
    assert jobs.wait_idle(30)
    assert sorted(again[0]) == pids  # the same two children


def test_an_error_in_one_part_is_reported_once_and_cancels_the_other(jobs, qtbot) -> None:
    results, errors, _ = _run(jobs, [(pid_after, (5_000, 0.002)), (fails_after, (3,))])
    start = time.monotonic()
    assert jobs.wait_idle(30)
    assert time.monotonic() - start < 8.0  # the long part did not run its 10 s
    assert results == []
    assert errors == ["ParameterError: software_returns = 9 is out of range"]


def test_without_child_processes_the_work_runs_on_the_worker_thread(qtbot) -> None:
    from rsiviz.gui.jobs import Jobs

    jobs = Jobs(offload=False)
    results, errors, _ = _run(jobs, [(pid_after, (2, 0.0)), (pid_after, (2, 0.0))])
    assert jobs.wait_idle(30)
    assert results == [[os.getpid(), os.getpid()]] and errors == []
    jobs.shutdown()


def test_a_child_that_cannot_start_falls_back_with_one_line(qtbot, monkeypatch, capsys) -> None:
    import rsiviz.core.offload as offload
    from rsiviz.gui.jobs import Jobs

    monkeypatch.setattr(offload, "child_command", lambda: ["/nonexistent/rsiviz-child"])
    jobs = Jobs()
    jobs.warm()
    results, errors, _ = _run(jobs, [(pid_after, (2, 0.0))])
    assert jobs.wait_idle(30)
    assert results == [[os.getpid()]] and errors == []
    lines = [ln for ln in capsys.readouterr().err.splitlines() if "background work" in ln]
    assert len(lines) == 2  # one per child, once: not at every job
    assert "cannot start a worker process" in lines[0]
    jobs.shutdown()


def test_shutdown_ends_the_children(jobs, qtbot) -> None:
    jobs.warm()
    pids = jobs.child_pids()
    assert len(pids) == min(2, os.cpu_count() or 1)
    jobs.shutdown()
    assert jobs.child_pids() == []


def test_an_offloaded_job_starts_at_once_and_a_fallback_waits_for_the_gate(
    qtbot, monkeypatch
) -> None:
    """A job computed in a child holds no GIL: it needn't wait for the GUI thread's turns.
    Falling back to this process, it waits for them like any other job."""
    from rsiviz.gui import jobs as module

    monkeypatch.setattr(module, "GATE_MAX_S", 5.0)  # only the turns can open the gate
    for offload in (True, False):
        jobs = module.Jobs(offload=offload)
        jobs.warm()
        results: list = []
        jobs.submit(
            "fan", lambda p, j=jobs: j.compute(pid_after, (1, 0.0), p), results.append, gated=False
        )
        running = jobs._running
        end = time.monotonic() + 3.0  # the event loop is not served meanwhile
        while not running.outcome and time.monotonic() < end:
            time.sleep(0.01)
        assert bool(running.outcome) is offload  # the child's job is done; the other waits
        assert jobs.wait_idle(30)
        assert results and (results[0] != os.getpid()) is offload
        jobs.shutdown()
