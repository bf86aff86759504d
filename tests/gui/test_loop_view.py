"""The loop diagram view: shows the core's contributions, cuts a link on click, and
removes the cut on a second click."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from rsiviz.core.interventions import LinkCut
from rsiviz.core.loop import LINK_BY_KEY, loop_state, node_level
from rsiviz.core.scenario import load_preset


@pytest.fixture
def loop_view(window, qtbot):
    window.resize(1024, 768)
    window.show_views(["loop"])
    view = window.docks.view("loop")
    qtbot.waitExposed(view)
    return view


def _point_on(view, key: str) -> QPointF:
    """A point on link ``key`` that no other link covers."""
    view.repaint()
    shape = next(s for s in view._shapes if s.link.key == key)
    for percent in np.linspace(0.2, 0.8, 13):
        point = shape.path.pointAtPercent(float(percent))
        if view.link_at(point) is shape:
            return point
    raise AssertionError(f"no free point on {key}")


def test_shows_the_core_s_contributions(window, loop_view) -> None:
    ctl = window.controller
    ctl.run_until(2028.0)
    expected = loop_state(ctl.sim.history, ctl.view_month)
    assert loop_view.state == expected
    loop_view.repaint()  # paints the node levels the core gives
    assert loop_view._levels == {key: node_level(expected, key) for key in loop_view._boxes}
    point = _point_on(loop_view, "labour_progress")
    tip = loop_view.tooltip_at(point)
    assert "p a rho_AI" in tip and f"{expected.ai_term:+.3g}" in tip
    assert "cannot be cut" in tip
    # scrubbing back shows the month on screen
    ctl.scrub(6)
    assert loop_view.state == loop_state(ctl.sim.history, 6)


def test_no_link_tag_covers_a_node_at_1024x768(window, loop_view) -> None:
    # "development pause" on the short Compute -> Capability link covered both boxes
    _assert_no_tag_on_a_box(window, loop_view)


def test_no_link_tag_covers_a_node_at_1280x720(window, qtbot) -> None:
    # A short window gives a view docked under the main plots less than its share (the
    # signs between Software efficiency and Software progress then covered a box)
    window.resize(1280, 720)
    qtbot.wait(20)
    window.show_views(["loop"])
    view = window.docks.view("loop")
    qtbot.waitExposed(view)
    assert view.height() < 300  # the short dock this test is about
    _assert_no_tag_on_a_box(window, view)


def _assert_no_tag_on_a_box(window, loop_view) -> None:
    ctl = window.controller
    ctl.load(load_preset("pause_2028_instant"))
    ctl.run_until(2028.5)
    loop_view.repaint()
    st = loop_view.state
    assert st is not None and st.paused
    canvas = loop_view.canvas
    for i, shape in enumerate(loop_view._shapes):
        tag = canvas._placed(i, loop_view._look(shape, st)).tag
        for key, box in canvas.boxes.items():
            assert not box.rect.intersects(tag), (shape.link.key, key)


def test_a_development_pause_breaks_the_capability_links(window, loop_view) -> None:
    ctl = window.controller
    ctl.load(load_preset("pause_2028_instant"))
    ctl.run_until(2028.5)
    st = loop_view.state
    assert st is not None and st.paused
    looks = {s.link.key: loop_view._look(s, st) for s in loop_view._shapes}
    assert looks["software_capability"][1:] == ("paused", "development pause")
    assert looks["compute_capability"][1] == "paused"
    assert looks["capability_gap"][1] == "live"
    ctl.run_until(2030.25)  # released: the overhang lifts the capability link to full width
    st = loop_view.state
    assert not st.paused
    shape = next(s for s in loop_view._shapes if s.link.key == "software_capability")
    link = LINK_BY_KEY["software_capability"]
    before = link.strength(loop_state(ctl.sim.history, 23))  # the month before the pause
    ctl.scrub(48)  # the month of the release: the overhang is released at once
    assert link.strength(loop_view.state) > before + 0.3
    assert loop_view._look(shape, loop_view.state)[0] > round(before * 6)


def test_click_cuts_a_link_and_a_second_click_removes_it(window, loop_view, qtbot) -> None:
    ctl = window.controller
    ctl.run_until(2027.5)
    point = _point_on(loop_view, "capability_automation")
    assert "click: cut it from 2027.5" in loop_view.tooltip_at(point)
    qtbot.mouseClick(
        loop_view, Qt.MouseButton.LeftButton, pos=QPoint(int(point.x()), int(point.y()))
    )
    qtbot.waitUntil(lambda: "cut:automation" in window.view_state.runs)  # run in the background
    run = window.view_state.runs["cut:automation"]
    assert run.role == "cut" and run.scenario.cuts == (LinkCut("automation", 2027.5),)
    # the ghost is the core's run with that link cut from the month on screen
    core = dataclasses.replace(window.controller.scenario, cuts=(LinkCut("automation", 2027.5),))
    expected = core.simulation().run()
    np.testing.assert_array_equal(run.history.c, expected.c)
    assert not np.array_equal(run.history.c, ctl.sim.history.c)
    qtbot.waitUntil(lambda: "cut" in [r.role for r in window.plots.snapshot.runs])  # plotted
    assert "remove the cut" in loop_view.tooltip_at(point)
    # the ghost follows parameter changes
    ctl.set_param("software_returns", 2.0)
    ctl.flush()
    qtbot.waitUntil(
        lambda: window.view_state.runs["cut:automation"].scenario.params.software_returns == 2.0
    )
    qtbot.mouseClick(
        loop_view, Qt.MouseButton.LeftButton, pos=QPoint(int(point.x()), int(point.y()))
    )
    assert "cut:automation" not in window.view_state.runs
    assert loop_view.ghost_cuts == {}


def test_links_that_cannot_be_cut_say_so(window, loop_view) -> None:
    messages = []
    loop_view.ctx.show_message = lambda level, text: messages.append(text)
    loop_view.click_link("labour_progress")
    assert "cannot be cut" in messages[-1]
    assert not window.view_state.runs_with_role("cut")


def test_scenario_cuts_show_as_cut_links(window, loop_view) -> None:
    sc = dataclasses.replace(load_preset("status_quo"), cuts=(LinkCut("compute", 2027.0),))
    window.controller.load(sc)
    window.controller.run_until(2028.0)
    st = loop_view.state
    assert st.cut == ("compute",) and st.compute_growth == 0.0
    shape = next(s for s in loop_view._shapes if s.link.key == "compute_capability")
    assert loop_view._look(shape, st)[1] == "cut"
    # the live run itself holds the cut: compute stopped in 2027
    h = window.controller.sim.history
    assert h.h[24, 0, 0] == h.h[12, 0, 0]


def test_show_loop_screenshot_draws_the_diagram(tmp_path) -> None:
    """``rsiviz --show loop`` opens the view; in a development pause its capability links
    are grey and dashed beside the blue reinforcing links."""
    import subprocess
    import sys

    from PySide6.QtGui import QColor, QImage

    out = tmp_path / "loop.png"
    res = subprocess.run(
        [sys.executable, "-m", "rsiviz", "--show", "loop", "--preset", "pause_2028_instant"]
        + ["--until", "2029", "--screenshot", str(out), "--size", "1024x768"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 768)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1024, 2) for y in range(500, 768, 2)}
    assert QColor("#0072b2").name() in colours  # reinforcing links
    assert QColor("#8a8a8a").name() in colours  # the broken capability links


def _full_redraw(view):
    """The picture drawn whole, from scratch, for the view's current state."""
    from rsiviz.gui.views.loop_paint import LoopCanvas

    fresh = LoopCanvas(view.canvas.colour, view.canvas.width)
    c = view.canvas
    fresh.set_layout(c.static, c.boxes, c.shapes, (c.level_font, c.label_font), c.scale)
    fresh.draw_all(*view._picture())
    return fresh.pixmap.toImage()


def test_the_picture_drawn_piece_by_piece_is_the_live_state(window, loop_view, qtbot) -> None:
    """Frames draw a part of the diagram each, a rectangle at a time; once frames stop,
    the picture is exactly the one a full redraw of the month on screen gives."""
    from rsiviz.gui.views.loop import SETTLE_MS

    ctl = window.controller
    ctl.load(load_preset("pause_2028_instant"))  # links break and come back: looks change
    loop_view.repaint()
    for _ in range(40):  # one month per frame, as fast as playback goes
        ctl.advance(1)
        QApplication.processEvents()
    expected = loop_state(ctl.sim.history, ctl.view_month)
    assert loop_view.state == expected
    # frames stopped: the rest of the picture follows (after SETTLE_MS; a loaded CI
    # machine may take several times that to serve the timer)
    want = {key: node_level(expected, key) for key in loop_view._boxes}
    qtbot.waitUntil(lambda: loop_view._levels == want, timeout=SETTLE_MS * 40)
    looks = [loop_view._look(s, expected) for s in loop_view._shapes]
    assert loop_view.canvas.looks == looks and loop_view.canvas.year == f"{expected.year:.1f}"
    assert loop_view.canvas.pixmap.toImage() == _full_redraw(loop_view)
    # and the screen shows that picture
    assert loop_view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32) == (
        _full_redraw(loop_view).convertToFormat(QImage.Format.Format_RGB32)
    )


def test_fast_playback_keeps_the_diagram_moving(window, loop_view) -> None:
    """At one month per frame the diagram draws one part on one frame in DRAW_EVERY, yet
    every text on screen is never more than DRAW_EVERY x len(PARTS) months behind."""
    from rsiviz.gui.views.loop import DRAW_EVERY, PARTS

    ctl = window.controller
    loop_view.repaint()
    lag = DRAW_EVERY * len(PARTS)
    for frame in range(4 * lag):
        ctl.advance(1)
        QApplication.processEvents()
        if frame < lag:
            continue
        h, now = ctl.sim.history, ctl.view_month
        recent = [loop_state(h, m) for m in range(now - lag, now + 1)]
        for key, text in loop_view._levels.items():
            assert text in {node_level(st, key) for st in recent}, (frame, key, text)
        assert loop_view.canvas.year in {f"{st.year:.1f}" for st in recent}


def test_the_parts_cover_every_node_once() -> None:
    from rsiviz.core.loop import NODES
    from rsiviz.gui.views.loop import PARTS

    names = [n for part in PARTS for n in part]
    assert sorted(names) == sorted(NODES) and () in PARTS
