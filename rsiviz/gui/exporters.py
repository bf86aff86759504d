"""Still exports: PNG at slide resolution, SVG, and the run as CSV.

Pictures come from an offscreen :class:`Stage` laid out at the target size with fonts and
line widths scaled in proportion (a 3840-px slide is drawn at twice the 1920-px sizes, not
upscaled), so they look like the presenter view, only sharper.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from rsiviz import __version__
from rsiviz.cli.output import OutputError, table_csv, write_text
from rsiviz.core.atomic import atomic_save
from rsiviz.core.beats import month_of, run_state
from rsiviz.core.history import History
from rsiviz.core.interventions import LinkCut
from rsiviz.core.story import Story
from rsiviz.gui.controller import Controller
from rsiviz.gui.stage import Stage
from rsiviz.gui.story_player import StoryPlayer
from rsiviz.gui.svg_fix import pixel_sized

FORMATS = ("png", "svg", "csv", "mp4", "gif", "pdf")
DEFAULT_WIDTH = {"png": 3840, "svg": 1920, "mp4": 1920, "gif": 960, "pdf": 1600}
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
        cls,
        story: Story,
        width: int,
        height: int,
        theme: str = "projector",
        cuts: Sequence[LinkCut] = (),
    ) -> OffscreenStage:
        """The stage of ``story``; each of ``cuts`` adds the run with that link cut as a
        ghost beside the live one, as the window's loop view does."""
        steps = cls.build(story, width, height, theme, cuts)
        while True:
            try:
                turn = next(steps)
            except StopIteration as done:
                out: OffscreenStage = done.value
                return out
            if turn:
                QApplication.processEvents()

    @classmethod
    def build(
        cls,
        story: Story,
        width: int,
        height: int,
        theme: str = "projector",
        cuts: Sequence[LinkCut] = (),
    ) -> Generator[bool, None, OffscreenStage]:
        """:meth:`create` in pieces, for a caller that lets its event loop run between
        them (a video export: no piece holds the window for long). Each ``yield`` ends a
        piece; True asks for an event-loop turn first (the layout posts its work to the
        next one). Returns the stage. Closing the generator early closes what it built.
        """
        ctl = Controller(story.scenario)
        ctl.cuts_in_background = False  # the ghosts are drawn in the first frame
        player = StoryPlayer(ctl)
        yield False
        plots = Stage.make_plots()
        yield False
        stage = Stage(ctl, theme, draw=False, plots=plots)
        done = False
        try:
            yield False
            ctl.emit_snapshot()  # what Stage(ctl, theme) does last, a piece of its own
            player.beat_changed.connect(stage.show_beat)
            stage.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            yield False
            stage.resize(*layout_size(width, height))
            stage.scale_to_width(stage.width())
            stage.show()
            stage.set_footer(footer_text(story))
            yield False
            player.load(story)
            if cuts:
                yield False
                ctl.add_cuts(cuts)
            for _ in range(SETTLE_TURNS):
                yield True
            done = True
        finally:
            if not done:
                player._stop()
                stage.close()
                stage.deleteLater()
        return cls(ctl, player, stage, (width, height))

    def show_beat(self, index: int) -> None:
        self.player.go_to(index)
        settle()

    def resize(self, width: int, height: int) -> None:
        """Lay the same stage out at another size (fonts and lines in proportion)."""
        self.size = (width, height)
        self.stage.resize(*layout_size(width, height))
        self.stage.scale_to_width(self.stage.width())
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

    def write_svg(self, path: str | Path, title: str = "") -> None:
        """The whole stage as SVG at its size in pixels: vector curves, text as text."""
        from PySide6.QtCore import QPoint, QRect, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        w, h = self.stage.width(), self.stage.height()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(w, h))
        generator.setViewBox(QRect(0, 0, w, h))
        generator.setTitle(title)
        generator.setDescription(self.stage.footer.text())
        painter = QPainter()
        if not painter.begin(generator):
            raise ExportError(f"could not write the SVG to {path}")
        try:
            painter.fillRect(0, 0, w, h, QColor(self.stage.colours.background))
            self.stage.render(painter, QPoint(0, 0))
        finally:
            painter.end()
        pixel_sized(Path(path), *self.size)  # a small SVG: the stage's layout, scaled

    def close(self) -> None:
        self.player._stop()
        self.stage.close()
        self.stage.deleteLater()


MIN_LAYOUT_WIDTH = 960  # below this the stage is laid out larger and scaled down


def layout_size(width: int, height: int) -> tuple[int, int]:
    """The size to lay the stage out at for a ``width`` x ``height`` picture: itself, or
    (tiny GIFs) the same shape at MIN_LAYOUT_WIDTH, so the plots keep room to draw."""
    if width >= MIN_LAYOUT_WIDTH:
        return width, height
    return MIN_LAYOUT_WIDTH, max(1, round(height * MIN_LAYOUT_WIDTH / width))


SETTLE_TURNS = 3


def settle(turns: int = SETTLE_TURNS) -> None:
    """Let Qt finish laying out: a graphics layout resized in one event-loop turn posts
    the layout of its items (legend rows, axis titles) to the next."""
    for _ in range(turns):
        QApplication.processEvents()


def even_size(width: int, height: int | None = None) -> tuple[int, int]:
    """Even dimensions (H.264 with yuv420p needs them); height defaults to 16:9."""
    height = round(width * ASPECT) if height is None else height
    return max(2, width - width % 2), max(2, height - height % 2)


def beat_until(story: Story, until: float | None) -> int:
    """The last beat that has been reached by year ``until`` (None: the last beat).

    Compared in months, ``until`` rounded to its nearest month as a beat's ``play_to`` is
    (a beat asked to play to 2037.9 stands at 2037.917, and ``--until 2037.9`` reaches it).
    """
    states = story.states()
    if until is None:
        return len(states) - 1
    month = month_of(story.scenario.params, until)
    reached = [s.index for s in states if s.month <= month]
    return reached[-1] if reached else 0


def export_png(
    story: Story,
    beat: int,
    path: str | Path,
    width: int = 3840,
    height: int | None = None,
    theme: str = "projector",
    cuts: Sequence[LinkCut] = (),
) -> tuple[int, int]:
    """Write the stage at ``beat`` as a PNG of ``width`` x ``height`` pixels (with a ghost
    run per link of ``cuts``)."""
    w, h = (width, round(width * ASPECT)) if height is None else (width, height)
    off = OffscreenStage.create(story, w, h, theme, cuts)
    try:
        off.show_beat(beat)
        image = off.image()
    finally:
        off.close()
    save_png(image, path)
    return image.width(), image.height()


def save_png(image: QImage, path: str | Path, what: str = "the PNG") -> None:
    """``image`` as a PNG at ``path``, atomically: a failure leaves the previous file whole."""
    atomic_save(path, lambda tmp: image.save(str(tmp), "PNG"), ExportError, what)


def export_svg_file(
    story: Story,
    beat: int,
    path: str | Path,
    width: int = 1920,
    theme: str = "projector",
    height: int | None = None,
    cuts: Sequence[LinkCut] = (),
) -> None:
    """Write the stage at ``beat`` (caption, year, plots, clock, footer) as SVG (with a
    ghost run per link of ``cuts``)."""
    off = OffscreenStage.create(story, width, height or round(width * ASPECT), theme, cuts)
    try:
        off.show_beat(beat)
        atomic_save(path, lambda tmp: off.write_svg(tmp, story.title), ExportError, "the SVG")
    except OSError as exc:
        raise ExportError(f"could not write the SVG to {path}: {exc}") from None
    finally:
        off.close()


def footer_text(story: Story) -> str:
    """What every exported picture says under the chart."""
    return f"Conditional on assumptions, not a forecast  |  rsiviz {__version__}  |  {story.title}"


COUNTERFACTUAL_PREFIX = "without_development_pause_"  # CSV columns of the run without it
CUT_PREFIX = "cut_{}_"  # CSV columns of the run with link {} cut


def csv_columns(
    history: History,
    lab_names: tuple[str, ...],
    counterfactual: History | None = None,
    ghosts: Sequence[tuple[str, History]] = (),
) -> dict[str, np.ndarray]:
    """The columns of ``rsiviz run`` (History.columns), then, when there is a development
    pause, the same quantities of the run without it, prefixed ``without_development_pause_``,
    then those of each ``(prefix, history)`` of ``ghosts`` (their year column is the same
    and is left out; each as long as the run, as the window draws them)."""
    columns: dict[str, np.ndarray] = dict(history.columns(0, lab_names))
    others = [(COUNTERFACTUAL_PREFIX, counterfactual)] if counterfactual is not None else []
    n = history.length
    for prefix, other in [*others, *ghosts]:
        for name, values in other.columns(0, lab_names).items():
            if name != "year":
                padded = np.full(n, np.nan)
                padded[: min(n, len(values))] = values[:n]
                columns[prefix + name] = padded
    return columns


def export_csv(
    history: History,
    lab_names: tuple[str, ...],
    path: str | Path,
    counterfactual: History | None = None,
    ghosts: Sequence[tuple[str, History]] = (),
) -> int:
    """Write the run month by month (the CLI's writer); returns the number of data rows."""
    try:
        columns = csv_columns(history, lab_names, counterfactual, ghosts)
        write_text(table_csv(columns), str(path))
    except OutputError as exc:
        raise ExportError(f"could not write the CSV to {path}: {exc}") from None
    return history.length


def export_story_csv(
    story: Story, beat: int, path: str | Path, cuts: Sequence[LinkCut] = ()
) -> int:
    """The run at ``beat``, when a development pause is on the run without it, and the run
    with each link of ``cuts`` cut (columns ``cut_NAME_...``)."""
    history, labs = story_history(story, beat)
    state = story.states()[beat]
    live = replace(story.scenario, pauses=story.scenario.pauses + state.pauses)
    ghosts = [(CUT_PREFIX.format(cut.name), live.with_cut(cut).simulation().run()) for cut in cuts]
    return export_csv(history, labs, path, story_counterfactual(story, beat), ghosts)


def story_counterfactual(story: Story, beat: int) -> History | None:
    """The run without the beat's development pauses, as far as the beat (None: none)."""
    state = story.states()[beat]
    if not state.pauses:
        return None
    sim = story.scenario.simulation()
    sim.step(state.month)
    return sim.history


def story_history(story: Story, beat: int) -> tuple[History, tuple[str, ...]]:
    """The run as it stands at ``beat`` (no Qt needed beyond the controller)."""
    history = run_state(story, story.states()[beat])
    return history, tuple(lab.name for lab in story.scenario.labs)
