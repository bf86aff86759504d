"""The child process that runs core work for the window (rsiviz.core.offload)."""

from __future__ import annotations

import os
import signal
import sys
import time

import numpy as np
import pytest

from rsiviz.core.fan import compute_fan_part
from rsiviz.core.offload import Offload, OffloadUnavailable
from rsiviz.core.params import ParameterError
from rsiviz.core.scenario import load_preset


class Stop(Exception):  # noqa: N818
    pass


# -- functions the child runs (module level: pickled by reference) --------------------------
def counting(n: int, pause_s: float, progress) -> int:
    for i in range(n):
        progress(i + 1, n)
        time.sleep(pause_s)
    return n


def whose_pid(progress) -> int:
    return os.getpid()


def chatty(progress) -> str:
    print("a stray print on standard output")  # must not corrupt the frames
    sys.stdout.flush()
    return "answer"


def unpicklable(progress):
    return lambda: None


def fails(progress):
    raise ParameterError("members = 0 is out of range")


@pytest.fixture
def offload():
    child = Offload()
    yield child
    child.close()


def test_a_fan_part_computed_in_the_child_equals_one_computed_here(offload) -> None:
    scenario = load_preset("pause_2028_instant")
    args = (scenario, None, 60, 7, "with_development_pause")
    seen: list[tuple[int, int]] = []
    there = offload.call(compute_fan_part, args, lambda d, t: seen.append((d, t)))
    here = compute_fan_part(*args)
    for q, values in here.series.items():
        np.testing.assert_array_equal(there.series[q], values)
    assert there.bands.keys() == here.bands.keys()
    assert offload.call(whose_pid, ()) not in (os.getpid(), None)
    dones = [d for d, _ in seen]
    assert dones == sorted(dones)  # progress only moves forward


def test_progress_reaches_the_caller_while_the_child_works(offload) -> None:
    seen: list[tuple[int, int]] = []
    assert offload.call(counting, (20, 0.01), lambda d, t: seen.append((d, t))) == 20
    assert len(seen) >= 3 and all(t == 20 for _, t in seen)


def test_an_exception_in_the_child_is_raised_in_the_caller_with_its_type(offload) -> None:
    with pytest.raises(ParameterError, match="members = 0"):
        offload.call(fails, ())
    assert offload.call(counting, (2, 0.0)) == 2  # and the child goes on serving


def test_a_result_that_cannot_be_pickled_is_one_line_of_error(offload) -> None:
    with pytest.raises(RuntimeError) as info:
        offload.call(unpicklable, ())
    assert "\n" not in str(info.value) and "pickle" in str(info.value).lower()


def test_a_stray_print_in_the_child_does_not_corrupt_the_answer(offload) -> None:
    assert offload.call(chatty, ()) == "answer"
    assert offload.call(counting, (3, 0.0)) == 3


def test_cancelling_from_progress_stops_the_child_call_and_keeps_the_child(offload) -> None:
    def cancel_at_five(done: int, total: int) -> None:
        if done >= 5:
            raise Stop

    start = time.monotonic()
    with pytest.raises(Stop):
        offload.call(counting, (10_000, 0.002), cancel_at_five)
    assert time.monotonic() - start < 5.0  # 10,000 x 2 ms would be 20 s
    pid = offload.pid
    assert offload.call(counting, (3, 0.0)) == 3
    assert offload.pid == pid  # the same child served the next call


def test_a_child_killed_mid_call_is_reported_then_replaced(offload) -> None:
    def kill_it(done: int, total: int) -> None:
        if done >= 3 and offload.pid is not None:
            os.kill(offload.pid, signal.SIGKILL)

    if not hasattr(signal, "SIGKILL"):
        pytest.skip("SIGKILL does not exist on Windows")
    with pytest.raises(OffloadUnavailable, match="ended"):
        offload.call(counting, (1_000, 0.01), kill_it)
    assert offload.failure is None  # a crash is not a failure to start: try again
    assert offload.call(counting, (2, 0.0)) == 2


def test_a_child_that_cannot_start_is_reported_and_not_tried_again(tmp_path) -> None:
    child = Offload(command=[str(tmp_path / "no-such-program")])
    with pytest.raises(OffloadUnavailable, match="cannot start"):
        child.call(counting, (1, 0.0))
    assert child.failure is not None
    with pytest.raises(OffloadUnavailable):
        child.start()


def test_close_ends_the_child(offload) -> None:
    offload.start()
    pid = offload.pid
    assert pid is not None
    offload.close()
    assert offload.pid is None and not offload.alive
    if sys.platform.startswith("linux"):
        assert not os.path.exists(f"/proc/{pid}") or _zombie_or_gone(pid)


def _zombie_or_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_a_child_that_dies_before_any_answer_is_not_started_again(tmp_path) -> None:
    """A frozen app whose child cannot run (no pipes, a broken bundle) must not pay a
    process start at every job: the first death without an answer is final."""
    child = Offload(command=[sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises(OffloadUnavailable, match="exit code 3"):
        child.call(counting, (1, 0.0))
    assert child.failure is not None and "before its first answer" in child.failure
    with pytest.raises(OffloadUnavailable):
        child.start()


def test_frames_carry_large_arrays_out_of_band_and_exactly() -> None:
    """A video frame (6 MB) goes through the pipe as it is, not copied into the pickle."""
    import io

    import numpy as np

    from rsiviz.core.offload import _HEADER, read_frame, write_frame

    rgb = np.random.default_rng(1).integers(0, 256, (1080, 1920, 3), dtype=np.uint8)
    strided = np.arange(40.0).reshape(5, 8)[:, ::2]  # not contiguous: pickled in-band
    stream = io.BytesIO()
    write_frame(stream, ("frame", (rgb, strided, "text")))
    raw = stream.getvalue()
    pickled = _HEADER.unpack(raw[: _HEADER.size])[0]
    assert pickled < 10_000 and len(raw) > rgb.nbytes  # the pixels travel outside the pickle
    stream.seek(0)
    kind, (back, back_strided, text) = read_frame(stream)
    assert kind == "frame" and text == "text"
    assert back.dtype == rgb.dtype and back.shape == rgb.shape and np.array_equal(back, rgb)
    assert np.array_equal(back_strided, strided)
    with pytest.raises(EOFError):
        read_frame(stream)
