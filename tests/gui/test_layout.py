"""The stage's layout at every size a projector may have, in every theme: no text on top
of another, none cut off, no legend over the data, and a chart that stays put from beat to
beat (issue 9: at 1024x768 the legend hid the race, the axis titles overlapped, "STOPPED"
read "TOPPE" and the captions pushed the chart up and down).

Every beat of every shipped story at 1024x768 and 1920x1080 in both themes runs always;
RSIVIZ_LAYOUT_ALL=1 adds 1280x720 and 3840x2160. The screenshots are written to
build/layout/<theme>/<W>x<H>/<story>-<beat>.png for a person to look through.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rsiviz.core.story import find_story, list_stories

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "layout"
SIZES = [(1024, 768), (1920, 1080)]
if os.environ.get("RSIVIZ_LAYOUT_ALL"):
    SIZES += [(1280, 720), (3840, 2160)]
THEMES = ("projector", "dark")


@pytest.mark.parametrize("name", list_stories())
def test_every_beat_lays_out_cleanly(qapp, name: str) -> None:
    from rsiviz.gui.exporters import OffscreenStage
    from rsiviz.gui.layout_audit import plot_rects, problems

    story = find_story(name)
    off = OffscreenStage.create(story, *SIZES[0])
    found: list[str] = []
    rects: dict[tuple, list] = {}
    try:
        for beat in range(len(story.beats)):
            off.show_beat(beat)
            for size in SIZES:
                off.resize(*size)
                for theme in THEMES:
                    off.stage.set_theme(theme)
                    where = f"{name} beat {beat + 1} at {size[0]}x{size[1]} ({theme})"
                    found += [f"{where}: {p}" for p in problems(off.stage)]
                    rects.setdefault((size, theme), []).append(plot_rects(off.stage))
                    folder = SHOTS / theme / f"{size[0]}x{size[1]}"
                    folder.mkdir(parents=True, exist_ok=True)
                    off.image().save(str(folder / f"{name}-{beat + 1}.png"), "PNG", 90)
    finally:
        off.close()
    assert not found, "\n".join(found)
    for (size, theme), seen in rects.items():  # 0 px: the same rectangles at every beat
        assert len(set(seen)) == 1, f"{name} at {size} ({theme}): the chart moves: {seen}"
