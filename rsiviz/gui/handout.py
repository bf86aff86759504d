"""A story as a printed handout: one landscape page per beat, the stage as it stands at
that beat (vector, as the audience saw it) above the beat's caption and speaker notes.

Qt's own PDF writer (QPdfWriter) draws it; the stage is the offscreen one the other
exports use, so the handout shows exactly the slides.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from rsiviz.core.atomic import atomic_save
from rsiviz.core.interventions import LinkCut
from rsiviz.core.story import Story
from rsiviz.gui.exporters import ASPECT, ExportError, OffscreenStage

PAGES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
DPI = 144
MARGIN_MM = 12.0
STAGE_SHARE = 0.72  # of the printable height, for the slide; the rest for the notes


def export_pdf(
    story: Story,
    path: str | Path,
    width: int = 1600,
    theme: str = "projector",
    page: str = "a4",
    cuts: Sequence[LinkCut] = (),
) -> int:
    """Write ``story`` as a handout PDF (``page``: a4 or letter, landscape), with a ghost
    run per link of ``cuts``; returns pages.

    The PDF goes to a temporary beside ``path`` that replaces it once complete.
    """
    pages: list[int] = []
    atomic_save(
        path,
        lambda tmp: pages.append(_write_pdf(story, tmp, width, theme, page, cuts)),
        ExportError,
        "the PDF",
    )
    return pages[0]


def _write_pdf(
    story: Story, path: Path, width: int, theme: str, page: str, cuts: Sequence[LinkCut]
) -> int:
    """Draw every page to ``path``; the writer is closed when this returns."""
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle(story.title)
    writer.setCreator("rsiviz")
    layout = QPageLayout(
        QPageSize(PAGES[page]),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    off = OffscreenStage.create(story, width, round(width * ASPECT), theme, cuts)
    painter = QPainter()
    try:
        if not painter.begin(writer):
            raise ExportError(f"could not write the PDF to {path}")
        states = off.player.states
        for i, state in enumerate(states):
            if i:
                writer.newPage()
            off.show_beat(i)
            _page(painter, off, f"{i + 1}/{len(states)}  {state.caption}", state.note)
    finally:
        if painter.isActive():
            painter.end()
        off.close()
    return len(off.player.states)


def _page(painter: QPainter, off: OffscreenStage, caption: str, note: str) -> None:
    """One page: the stage scaled to the page's width, then the caption and the notes."""
    page = QRectF(painter.viewport())
    stage = off.stage
    scale = min(page.width() / stage.width(), STAGE_SHARE * page.height() / stage.height())
    painter.save()
    painter.scale(scale, scale)
    stage.render(painter, QPoint(0, 0))
    painter.restore()
    top = stage.height() * scale + 0.03 * page.height()
    text = QRectF(0, top, page.width(), page.height() - top)
    painter.setPen(QColor("#000000"))
    painter.setFont(_font(14, bold=True))
    used = painter.boundingRect(text, Qt.TextFlag.TextWordWrap, caption)
    painter.drawText(text, Qt.TextFlag.TextWordWrap, caption)
    if note:
        text.setTop(used.bottom() + 0.02 * page.height())
        painter.setFont(_font(11))
        painter.drawText(text, Qt.TextFlag.TextWordWrap, note)


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font
