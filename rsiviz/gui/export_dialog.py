"""File > Export...: the current view as PNG, SVG, CSV, MP4 or GIF, from the window.

The file dialog is the only thing that pops up, and only when asked. Video is tracked by the
window's background jobs (progress and Cancel in the status bar); the window keeps responding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from rsiviz.core.story import Story, story_for_run
from rsiviz.gui import exporters
from rsiviz.gui.exporters import ExportError

FILTERS = {
    "png": "PNG picture, slide size (*.png)",
    "svg": "SVG vector picture (*.svg)",
    "csv": "CSV data of the run (*.csv)",
    "mp4": "MP4 video, H.264 (*.mp4)",
    "gif": "GIF animation (*.gif)",
    "pdf": "PDF handout, one page per beat (*.pdf)",
}


def current_view(window: Any) -> tuple[Story, int]:
    """The window's story and beat, or a story rebuilding its live run."""
    ctl = window.controller
    player = window.story_player
    story = None if player is None else player.story
    if story is not None and 0 <= player.index < len(player.states):
        state = player.states[player.index]
        if state.pauses == ctl.live_pauses and state.month == ctl.sim.month:
            return story, player.index
    year = float(ctl.sim.history.years[ctl.view_month])
    run = story_for_run(
        ctl.scenario, ctl.live_pauses, year, window.plots.unit, window.plots.lower_mode
    )
    return run, len(run.beats) - 1


def export_to(window: Any, path: str, fmt: str | None = None) -> Any:
    """Export the current view to ``path``; returns the VideoExport for mp4/gif, else None."""
    fmt = fmt or Path(path).suffix.lower().lstrip(".")
    if fmt not in FILTERS:
        raise ExportError(f"{path}: unknown format (use {', '.join(FILTERS)})")
    story, beat = current_view(window)
    if fmt == "csv":
        exporters.export_story_csv(story, beat, path)
    elif fmt == "png":
        exporters.export_png(story, beat, path)
    elif fmt == "svg":
        exporters.export_svg_file(story, beat, path)
    elif fmt == "pdf":
        from rsiviz.gui.handout import export_pdf

        export_pdf(story, path)
    else:
        from rsiviz.gui.video import VideoExport

        job = VideoExport(
            story, path, fmt, exporters.DEFAULT_WIDTH[fmt], last_beat=beat, parent=window
        )
        window.video_export = job
        job.start()
        return job
    return None


def ask_and_export(window: Any) -> None:
    """File > Export...: ask for a file and a format, then export the view on screen."""
    if window.video_export is not None and window.video_export.running:
        window.banner.show_message("info", "A video export is already running.")
        return
    path, chosen = QFileDialog.getSaveFileName(
        window, "Export", "rsiviz.png", ";;".join(FILTERS.values())
    )
    if not path:
        return
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FILTERS:
        fmt = next(k for k, v in FILTERS.items() if v == chosen)
        path += f".{fmt}"
    try:
        job = export_to(window, path, fmt)
    except ExportError as exc:
        window.banner.show_message("error", f"Export failed: {exc}")
        return
    if job is None:
        window.banner.show_message("info", f"Exported {path}")
        return
    # Progress and Cancel show in the status bar, like every other background job.
    window.jobs.track("export", job)
    job.finished.connect(
        lambda ok, message: window.banner.show_message("info" if ok else "error", message)
    )
