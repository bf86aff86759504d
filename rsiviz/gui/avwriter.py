"""PyAV writing one MP4 (H.264) or GIF file, frame by frame, and the worker process's side
of it. No Qt here: the export's encoder runs these in a child process
(:class:`rsiviz.gui.video_encoder.ChildAvWriter`, over :mod:`rsiviz.core.offload`), so an
encoder call that never returns can be ended by ending that process.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol

import numpy as np


class EncoderError(RuntimeError):
    """The encoder cannot do what was asked; the message says why in plain words."""


# H.264 for slides: x264 "veryfast" at constant quality 20, High profile, 4:2:0 chroma
# (what PowerPoint, Keynote and browsers decode) and the index first (+faststart).
H264_CODEC = "libx264"
H264_OPTIONS = {"preset": "veryfast", "crf": "20", "profile": "high"}
# One palette for the whole GIF from the frames' differences, ordered dithering.
GIF_FILTERS = (("palettegen", "stats_mode=diff"), ("paletteuse", "dither=bayer"))


def _av() -> Any:
    """PyAV, imported on first use: the window starts without loading FFmpeg."""
    try:
        import av
    except ImportError as exc:
        raise EncoderError(f"video export needs PyAV (pip install av): {exc}") from None
    return av


class FrameSink(Protocol):
    """Where the encoder thread puts frames: ``write(rgb (h, w, 3) uint8)``, then ``close()``."""

    def write(self, rgb: np.ndarray) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


class AvWriter:
    """An MP4 (H.264) or GIF file written with PyAV, one RGB frame at a time."""

    def __init__(self, fmt: str, width: int, height: int, fps: float, path: str) -> None:
        av = _av()
        codec = H264_CODEC if fmt == "mp4" else "gif"
        try:
            av.codec.Codec(codec, "w")
        except (ValueError, av.FFmpegError):
            raise EncoderError(
                f"this PyAV has no {codec} encoder for {fmt.upper()} (pip install av: the "
                "PyPI wheels include it)"
            ) from None
        self.rate = Fraction(fps).limit_denominator(1001)
        opts = {"movflags": "+faststart"} if fmt == "mp4" else {"loop": "0"}
        try:
            self.container = av.open(path, "w", format=fmt, options=opts)
        except (OSError, av.FFmpegError) as exc:
            raise EncoderError(f"could not write {path}: {exc}") from None
        self.stream = self.container.add_stream(codec, rate=self.rate)
        self.stream.width, self.stream.height = width, height
        self.stream.pix_fmt = "yuv420p" if fmt == "mp4" else "pal8"
        if fmt == "mp4":
            self.stream.options = dict(H264_OPTIONS)
        self.graph = self._gif_graph(width, height) if fmt == "gif" else None
        self.count = 0

    def _gif_graph(self, width: int, height: int) -> Any:
        """buffer -> split -> palettegen -> paletteuse -> buffersink, as ffmpeg's -filter_complex."""
        graph = _av().filter.Graph()
        src = graph.add_buffer(width=width, height=height, format="rgb24", time_base=1 / self.rate)
        split = graph.add("split")
        gen, use = (graph.add(name, args) for name, args in GIF_FILTERS)
        src.link_to(split)
        split.link_to(use, 0, 0)
        split.link_to(gen, 1, 0)
        gen.link_to(use, 0, 1)
        use.link_to(graph.add("buffersink"))
        graph.configure()
        return graph

    def write(self, rgb: np.ndarray) -> None:
        frame = _av().VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts, frame.time_base = self.count, 1 / self.rate
        self.count += 1
        self._encode(frame)

    def _encode(self, frame: Any) -> None:
        if self.graph is None:
            self.container.mux(self.stream.encode(frame))
            return
        av = _av()
        self.graph.push(frame)
        while True:
            try:
                out = self.graph.pull()
            except (av.BlockingIOError, av.EOFError):
                return
            self.container.mux(self.stream.encode(out))

    def close(self) -> None:
        """Flush the filter and the encoder, write the index."""
        if self.graph is not None:
            self._encode(None)
        self.container.mux(self.stream.encode(None))
        self.container.close()

    def abort(self) -> None:
        self.container.close()


# -- the worker process's side (rsiviz.core.offload runs these there) ---------------------
_open: dict[str, Any] = {}  # "writer": the one file this worker process is writing


def child_open(
    writer: Any, fmt: str, width: int, height: int, fps: float, path: str, progress: Any = None
) -> None:
    """Open ``writer(fmt, width, height, fps, path)`` (an :class:`AvWriter`) in this process."""
    child_abort()
    _open["writer"] = writer(fmt, width, height, fps, path)


def child_write(rgb: np.ndarray, progress: Any = None) -> None:
    _open["writer"].write(rgb)


def child_close(progress: Any = None) -> None:
    _open.pop("writer").close()


def child_abort(progress: Any = None) -> None:
    writer = _open.pop("writer", None)
    if writer is not None:
        writer.abort()
