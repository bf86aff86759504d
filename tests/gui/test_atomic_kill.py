"""SIGKILL in the middle of a PNG or MP4 export never destroys the previous file: after
every kill the target is one whole picture / one whole video, decodable to the end."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from PIL import Image

from tests.core.killing import kill_repeatedly

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

KILLS = 15

# Two noise pictures (noise keeps each PNG large, so most kills land inside a save),
# saved in turn through the exporters' PNG writer.
PNG_WRITER = """
import os, sys
import numpy as np
from PySide6.QtGui import QImage
from rsiviz.gui.exporters import save_png
target = sys.argv[1]
def noise(w, h, seed):
    data = np.random.default_rng(seed).integers(0, 256, (h, w * 3), dtype=np.uint8)
    return QImage(data.tobytes(), w, h, w * 3, QImage.Format.Format_RGB888).copy()
a, b = noise(900, 500, 1), noise(700, 400, 2)
save_png(a, target)
def write_forever():
    while True:
        save_png(b, target)
        save_png(a, target)
"""

# Videos of 8 and 12 frames in turn, through the export's encoder thread and PyAV.
MP4_WRITER = """
import os, queue, sys, threading
import numpy as np
from rsiviz.gui.video_encoder import AvWriter, Encoder
target = sys.argv[1]
frames = [np.random.default_rng(i).integers(0, 256, (180, 320, 3), dtype=np.uint8)
          for i in range(4)]
def write(n):
    q = queue.Queue()
    for i in range(n):
        q.put(frames[i % 4])
    q.put(None)
    done = threading.Event()
    enc = Encoder(lambda tmp: AvWriter("mp4", 320, 180, 10, tmp), target, q, done.set)
    enc.start()
    done.wait()
    assert enc.state == "done", enc.error
write(8)
def write_forever():
    while True:
        write(12)
        write(8)
"""


def test_sigkill_mid_png_export_keeps_a_whole_picture(tmp_path: Path) -> None:
    def check(path: Path) -> None:
        with Image.open(path) as img:
            assert img.size in ((900, 500), (700, 400))
            img.load()  # every scan line is there

    target = tmp_path / "slide.png"
    left_behind = kill_repeatedly(PNG_WRITER, target, check, KILLS, (0.005, 0.12))
    assert left_behind > KILLS // 4  # the kills really landed inside saves


def test_sigkill_mid_mp4_export_keeps_a_whole_video(tmp_path: Path) -> None:
    import av

    def check(path: Path) -> None:
        with av.open(str(path)) as container:
            assert sum(1 for _ in container.decode(video=0)) in (8, 12)

    target = tmp_path / "talk.mp4"
    left_behind = kill_repeatedly(MP4_WRITER, target, check, KILLS, (0.005, 0.12))
    assert left_behind > KILLS // 4
