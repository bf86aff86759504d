"""Still exports: PNG at slide resolution, SVG, and the run as CSV.

Pictures come from an offscreen :class:`Stage` laid out at the target size with fonts and
line widths scaled in proportion (a 3840-px slide is drawn at twice the 1920-px sizes, not
upscaled), so they look like the presenter view, only sharper.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from rsiviz.core.beats import run_state
from rsiviz.core.history import History
from rsiviz.core.story import Story
from rsiviz.gui.controller import Controller
from rsiviz.gui.stage import Stage
from rsiviz.gui.story_player import StoryPlayer
from rsiviz.gui.svg_fix import export_svg

FORMATS = ("png", "svg", "csv", "mp4", "gif")
DEFAULT_WIDTH = {"png": 3840, "svg": 1920, "mp4": 1920, "gif": 960}
ASPECT = 9 / 16


class ExportError(RuntimeError):
    """An export could not be written; the message says why in plain words."""


@dataclass
class OffscreenStage:
    """A controller, story player and stage that render without a screen."""

    controller: Controller
    player: StoryPlayer
    stage: Stage
    size: tuple[int, int]

    @classmethod
    def create(
        cls, story: Story, width: int, height: int, theme: str = "projector"
    ) -> OffscreenStage:
        ctl = Controller(story.scenario)
        player = StoryPlayer(ctl)
        stage = Stage(ctl, theme)
        player.beat_changed.connect(stage.show_beat)
        stage.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        stage.resize(width, height)
        stage.scale_to_width(width)
        stage.show()
        player.load(story)
        settle()
        return cls(ctl, player, stage, (width, height))

    def show_beat(self, index: int) -> None:
        self.player.go_to(index)
        settle()

    def resize(self, width: int, height: int) -> None:
        """Lay the same stage out at another size (fonts and lines in proportion)."""
        self.size = (width, height)
        self.stage.resize(width, height)
        self.stage.scale_to_width(width)
        settle()

    def image(self) -> QImage:
        """The stage as an RGB image of exactly the requested size.

        A size below the stage's minimum layout (tiny GIFs) is laid out at the minimum
        and scaled down smoothly, never cropped.
        """
        image = QImage(self.stage.width(), self.stage.height(), QImage.Format.Format_RGB888)
        image.fill(QColor(self.stage.colours.background))
        self.stage.render(image)
        w, h = self.size
        if (image.width(), image.height()) != (w, h):
            image = image.scaled(
                w,
                h,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            image = image.convertToFormat(QImage.Format.Format_RGB888)
        return image

    def close(self) -> None:
        self.player._stop()
        self.stage.close()
        self.stage.deleteLater()


def settle(turns: int = 3) -> None:
    """Let Qt finish laying out: a graphics layout resized in one event-loop turn posts
    the layout of its items (legend rows, axis titles) to the next."""
    for _ in range(turns):
        QApplication.processEvents()


def even_size(width: int, height: int | None = None) -> tuple[int, int]:
    """Even dimensions (H.264 with yuv420p needs them); height defaults to 16:9."""
    height = round(width * ASPECT) if height is None else height
    return max(2, width - width % 2), max(2, height - height % 2)


def beat_until(story: Story, until: float | None) -> int:
    """The last beat that has been reached by year ``until`` (None: the last beat)."""
    states = story.states()
    if until is None:
        return len(states) - 1
    reached = [s.index for s in states if s.year <= until + 1e-9]
    return reached[-1] if reached else 0


def export_png(
    story: Story,
    beat: int,
    path: str | Path,
    width: int = 3840,
    height: int | None = None,
    theme: str = "projector",
) -> tuple[int, int]:
    """Write the stage at ``beat`` as a PNG of ``width`` x ``height`` pixels."""
    w, h = (width, round(width * ASPECT)) if height is None else (width, height)
    off = OffscreenStage.create(story, w, h, theme)
    try:
        off.show_beat(beat)
        image = off.image()
    finally:
        off.close()
    if not image.save(str(path), "PNG"):
        raise ExportError(f"could not write the PNG to {path}")
    return image.width(), image.height()


def export_svg_file(
    story: Story, beat: int, path: str | Path, width: int = 1920, theme: str = "projector"
) -> None:
    """Write the two plots at ``beat`` as SVG (vector curves, text as text)."""
    off = OffscreenStage.create(story, width, round(width * ASPECT), theme)
    try:
        off.show_beat(beat)
        export_svg(off.stage.plots.scene(), str(path))
    except OSError as exc:
        raise ExportError(f"could not write the SVG to {path}: {exc}") from None
    finally:
        off.close()


def history_rows(history: History, lab_names: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    """The columns of ``rsiviz run`` (History.columns) as text, written the same way:
    shortest round-trip floats, blank for non-finite values."""
    cols = history.columns(0, lab_names)
    names = list(cols)
    rows = []
    for i in range(history.length):
        row = []
        for name in names:
            value = float(cols[name][i])
            row.append(repr(value) if math.isfinite(value) else "")
        rows.append(row)
    return names, rows


def export_csv(history: History, lab_names: tuple[str, ...], path: str | Path) -> int:
    """Write the run month by month; returns the number of data rows."""
    names, rows = history_rows(history, lab_names)
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(names)
            writer.writerows(rows)
    except OSError as exc:
        raise ExportError(f"could not write the CSV to {path}: {exc}") from None
    return len(rows)


def story_history(story: Story, beat: int) -> tuple[History, tuple[str, ...]]:
    """The run as it stands at ``beat`` (no Qt needed beyond the controller)."""
    history = run_state(story, story.states()[beat])
    return history, tuple(lab.name for lab in story.scenario.labs)
