"""``rsiviz export --cut NAME[:START]``: parsed and checked as ``rsiviz run --cut`` is; the
export shows the run with the link cut as a ghost beside the live one (CSV columns
``cut_NAME_...``, a curve in the pictures), as the window's loop view does."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rsiviz.core.interventions import LinkCut
from rsiviz.core.options import build_scenario, ghost_cuts
from rsiviz.core.scenario import load_preset
from rsiviz.gui.export_cli import main as export_main


def _read(path: Path) -> dict[str, np.ndarray]:
    with path.open() as f:
        rows = list(csv.reader(f))
    cols = np.array([[float(v) if v else np.nan for v in row] for row in rows[1:]]).T
    return dict(zip(rows[0], cols, strict=True))


@pytest.mark.parametrize(
    "cut",
    ["bogus", "automation:20x8", "automation:2100", "automation:nan"],
)
def test_bad_cuts_exit_2_with_the_line_rsiviz_run_gives(tmp_path: Path, capsys, cut) -> None:
    out = tmp_path / "run.csv"
    status = export_main(["--preset", "status_quo", "--cut", cut, "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
    run = subprocess.run(
        [sys.executable, "-m", "rsiviz", "run", "--preset", "status_quo", "--cut", cut],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    # the same message after each command's prefix
    assert err.split("error: ", 1)[1].strip() in run.stderr


def test_a_link_cut_twice_or_with_a_story_is_refused(tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "run.csv")
    assert export_main(["--cut", "compute", "--cut", "compute:2030", "--out", out]) == 2
    assert "link 'compute' is already cut" in capsys.readouterr().err
    assert export_main(["--story", "development_pause", "--cut", "compute", "--out", out]) == 2
    err = capsys.readouterr().err
    assert "--cut" in err and "do not apply to --story" in err


def test_ghost_cuts_are_the_command_line_s_and_the_scenario_keeps_its_own() -> None:
    cuts = ["automation:2028", "returns"]
    built = build_scenario("status_quo", None, ["years=10"], ["2028:12"], None, cuts)
    sc, ghosts = ghost_cuts(built, len(cuts))
    assert ghosts == (LinkCut("automation", 2028.0), LinkCut("returns", None))
    assert sc.cuts == load_preset("status_quo").cuts and len(sc.pauses) == 1
    assert sc.params.years == 10


def test_the_csv_has_the_cut_run_beside_the_live_one(tmp_path: Path) -> None:
    common = ["--preset", "status_quo", "--pause", "2029:12", "--format", "csv"]
    plain, cut = tmp_path / "plain.csv", tmp_path / "cut.csv"
    assert export_main([*common, "--out", str(plain)]) == 0
    assert export_main([*common, "--cut", "automation:2028", "--out", str(cut)]) == 0
    a, b = _read(plain), _read(cut)
    # the live run and its run without the development pause are untouched
    assert all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)
    ghost = {k.removeprefix("cut_automation_"): v for k, v in b.items() if k.startswith("cut_")}
    assert set(ghost) == set(a) - {"year"} - {k for k in a if k.startswith("without_")}
    # the ghost is the core's run: the live scenario, development pause and all, cut in 2028
    live = load_preset("status_quo")
    sc = build_scenario("status_quo", None, [], ["2029:12"])
    labs = tuple(lab.name for lab in sc.labs)
    expected = sc.with_cut(LinkCut("automation", 2028.0)).simulation().run().columns(0, labs)
    for name, values in ghost.items():
        want = expected[name][: len(values)]
        finite = np.isfinite(want)  # (the CSV leaves infinities empty)
        assert np.isnan(values[~finite]).all()
        # (the CSV keeps 6 significant digits)
        np.testing.assert_allclose(values[finite], want[finite], rtol=1e-5, atol=1e-6)
    before = a["year"] < 2028.0
    assert np.array_equal(ghost["capability"][before], a["capability"][before])
    assert not np.allclose(ghost["capability"][~before], a["capability"][~before])
    assert live.cuts == ()  # the preset itself cuts nothing


def test_the_png_draws_the_ghost(tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    from rsiviz.core.story import story_for_scenario
    from rsiviz.gui.exporters import export_png

    story = story_for_scenario(load_preset("status_quo"))
    beat = len(story.beats) - 1
    plain, cut = tmp_path / "plain.png", tmp_path / "cut.png"
    export_png(story, beat, plain, 960)
    export_png(story, beat, cut, 960, cuts=(LinkCut("automation", 2028.0),))

    def dark(path: Path) -> int:  # the ghost's near-black dash-dot line (CUT_STYLE)
        image = QImage(str(path))
        return sum(
            image.pixelColor(x, y).name() in ("#222222", "#232323", "#212121")
            for x in range(120, 760, 2)
            for y in range(130, 480, 2)
        )

    assert dark(cut) > dark(plain) + 50
