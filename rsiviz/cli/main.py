"""The headless command line: run, ensemble, sweep, replicate, params, story check (and
export, via gui).

Every error ends with exit status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence

import numpy as np

from rsiviz import __version__
from rsiviz.cli.output import (
    OutputError,
    output_format,
    silence_stdout,
    table_csv,
    to_json,
    write_text,
)
from rsiviz.cli.story import add_parser as add_story_parser
from rsiviz.cli.story import cmd_story
from rsiviz.core.ensemble import (
    MAX_GRID_POINTS,
    METRICS,
    grid_values,
    percentiles,
    run_ensemble,
    sweep,
)
from rsiviz.core.history import COLUMNS
from rsiviz.core.interventions import LINKS
from rsiviz.core.literature import FORETHOUGHT_CITATION, FORETHOUGHT_PAPER, replicate_forethought
from rsiviz.core.options import (
    SEED_MAX,
    OptionError,
    build_scenario,
    number_arg,
    parse_number,
    parse_whole,
    whole_arg,
)
from rsiviz.core.params import ParameterError, param_specs
from rsiviz.core.resources import ResourceError
from rsiviz.core.scenario import Scenario, ScenarioError
from rsiviz.core.story import StoryError
from rsiviz.core.tomlfile import one_line, show

EXIT_USAGE = 2
# the time-series columns that vary across members
ENSEMBLE_COLUMNS = tuple(c for c in COLUMNS if c not in ("year", "potential", "paused"))
PERCENTILES = (5, 25, 50, 75, 95)
MAX_DRAWS = 200_000


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{self.prog}: {message}")


def _scenario_options(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--preset", metavar="NAME", help="a shipped scenario (see --list-presets)")
    src.add_argument("--scenario", metavar="FILE", help="a scenario file (TOML)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable; see 'rsiviz params')",
    )
    p.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="START:MONTHS[:RELEASE]",
        help="add a development pause, e.g. 2028:24:gradual (repeatable)",
    )
    p.add_argument(
        "--cut",
        action="append",
        default=[],
        metavar="NAME[:START]",
        help="cut a link of the loop from START (default: the start), e.g. automation:2028; "
        f"links: {', '.join(LINKS)} (repeatable)",
    )
    p.add_argument("--years", type=number_arg(), metavar="Y", help="simulated years (1-50)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rsiviz",
        description="Headless rsiviz commands. "
        "Curves are conditional on the assumptions set, not a forecast.",
    )
    parser.add_argument("--version", action="version", version=f"rsiviz {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, required=True)
    run = sub.add_parser("run", help="one run: the time series, one row per simulated month")
    _scenario_options(run)
    run.add_argument("--out", metavar="FILE.csv|FILE.json|-", help="where to write (default -)")
    ens = sub.add_parser("ensemble", help="percentiles over parameter draws")
    _scenario_options(ens)
    ens.add_argument("--draws", type=whole_arg(1, MAX_DRAWS), default=1000)
    ens.add_argument(
        "--seed", type=whole_arg(0, SEED_MAX), help="0 to 2^63-1; default: the scenario's seed"
    )
    ens.add_argument("--out", metavar="FILE.csv|FILE.json|-")
    sw = sub.add_parser("sweep", help="a 1-D or 2-D grid of an outcome metric")
    _scenario_options(sw)
    sw.add_argument("--x", required=True, metavar="NAME=LO:HI:N")
    sw.add_argument("--y", metavar="NAME=LO:HI:N")
    sw.add_argument("--metric", required=True, choices=sorted(METRICS))
    sw.add_argument(
        "--level",
        type=number_arg(),
        default=10.0,
        help="level for the year_*_reaches metrics (default 10)",
    )
    sw.add_argument("--out", metavar="FILE.csv|FILE.json|-")
    rep = sub.add_parser("replicate", help="literature checks")
    rep.add_argument("study", choices=["forethought"])
    rep.add_argument("--draws", type=whole_arg(1, MAX_DRAWS), default=5000)
    rep.add_argument("--seed", type=whole_arg(0, SEED_MAX), default=0)
    rep.add_argument("--json", action="store_true")
    par = sub.add_parser("params", help="the parameter table: units, ranges, defaults, sources")
    par.add_argument("--json", action="store_true")
    add_story_parser(sub)
    sub.add_parser(
        "export", help="pictures, video and data (needs Qt; see rsiviz export -h)", add_help=False
    )
    return parser


def _scenario(args: argparse.Namespace) -> Scenario:
    return build_scenario(args.preset, args.scenario, args.set, args.pause, args.years, args.cut)


def cmd_run(args: argparse.Namespace) -> None:
    sc = _scenario(args)
    fmt = output_format(args.out)
    hist = sc.simulation().run()
    cols = hist.columns(0, tuple(lab.name for lab in sc.labs))
    if fmt == "csv":
        write_text(table_csv(cols), args.out)
    else:
        write_text(to_json({"scenario": sc.name, "columns": cols}), args.out)


def cmd_ensemble(args: argparse.Namespace) -> None:
    sc = _scenario(args)
    fmt = output_format(args.out)
    hist = run_ensemble(sc, args.draws, args.seed)
    table: dict[str, np.ndarray] = {"year": hist.time}
    for name in ENSEMBLE_COLUMNS:
        values = getattr(hist, name)()
        for q, row in zip(PERCENTILES, percentiles(values, PERCENTILES), strict=True):
            table[f"{name}_p{q}"] = row
    if fmt == "csv":
        write_text(table_csv(table), args.out)
    else:
        write_text(
            to_json(
                {
                    "scenario": sc.name,
                    "draws": args.draws,
                    "seed": sc.seed if args.seed is None else args.seed,
                    "columns": table,
                }
            ),
            args.out,
        )


def _grid(text: str, flag: str) -> tuple[str, np.ndarray]:
    name, sep, spec = text.partition("=")
    parts = spec.split(":")
    where = f"{flag} {show(text)}:"
    if not sep or len(parts) != 3:
        raise CliError(f"{where} expected NAME=LO:HI:N, e.g. software_returns=0.5:3:50")
    low = parse_number(parts[0], f"{where} LO")
    high = parse_number(parts[1], f"{where} HI")
    n = parse_whole(parts[2], f"{where} N", 1, MAX_GRID_POINTS)
    try:
        return name, grid_values(name, low, high, n)
    except ParameterError as exc:
        raise CliError(f"{where} {exc}") from None


def cmd_sweep(args: argparse.Namespace) -> None:
    sc = _scenario(args)
    fmt = output_format(args.out)
    x = _grid(args.x, "--x")
    y = _grid(args.y, "--y") if args.y else None
    grid = sweep(sc, x, args.metric, y, args.level)
    if fmt == "json":
        write_text(
            to_json(
                {
                    "metric": args.metric,
                    "x": {x[0]: x[1]},
                    "y": {y[0]: y[1]} if y else None,
                    "values": grid,
                }
            ),
            args.out,
        )
        return
    if y is None:
        write_text(table_csv({x[0]: x[1], args.metric: grid}), args.out)
    else:  # long format: one row per cell
        gx, gy = np.meshgrid(x[1], y[1])
        write_text(
            table_csv({x[0]: gx.ravel(), y[0]: gy.ravel(), args.metric: grid.ravel()}), args.out
        )


def cmd_replicate(args: argparse.Namespace) -> None:
    res = replicate_forethought(args.draws, args.seed)
    if args.json:
        write_text(to_json(res.as_dict()), "-")
        return
    lines = [FORETHOUGHT_CITATION, f"{res.draws} draws, seed {res.seed}"]
    lines.append(f"{'':46s}{'paper':>8s}{'rsiviz':>9s}")
    for key, label in (
        ("p_3_years_in_12_months", "P(>= 3 years of progress in any 12 months)"),
        ("p_10_years_in_12_months", "P(>= 10 years of progress in any 12 months)"),
    ):
        ours = res.p_3_years if key.startswith("p_3") else res.p_10_years
        lines.append(f"{label:46s}{FORETHOUGHT_PAPER[key]:8.0%}{ours:9.1%}")
    write_text("\n".join(lines) + "\n", "-")


def cmd_params(args: argparse.Namespace) -> None:
    rows = [
        {
            "name": s.name,
            "symbol": s.symbol,
            "unit": s.unit,
            "default": s.default,
            "range": s.range_text(),
            "source": s.source,
            "explanation": s.explanation,
        }
        for s in param_specs()
    ]
    if args.json:
        write_text(to_json(rows), "-")
        return
    lines = []
    for r in rows:
        default = r["default"] if isinstance(r["default"], str) else f"{r['default']:g}"
        lines.append(f"{r['name']:26s} {default:>9s} {r['unit']:8s} [{r['range']}]  {r['source']}")
    write_text("\n".join(lines) + "\n", "-")


COMMANDS: dict[str, Callable[[argparse.Namespace], int | None]] = {
    "run": cmd_run,
    "ensemble": cmd_ensemble,
    "sweep": cmd_sweep,
    "replicate": cmd_replicate,
    "params": cmd_params,
    "story": cmd_story,
}


def run_cli(argv: Sequence[str]) -> int:
    """Run one command; any failure is one line on stderr and exit status 2."""
    argv = list(argv)
    try:
        args = _parser().parse_args(argv)
        status = COMMANDS[args.command](args)
    except (
        CliError,
        OptionError,
        ScenarioError,
        ParameterError,
        OutputError,
        ResourceError,
        StoryError,
    ) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # e.g. piped into head: the reader has what it wanted
        silence_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        return _fail("not enough memory for this command (try fewer draws, cells or years)")
    except RecursionError:
        return _fail("the input is nested too deeply")
    except Exception as exc:  # a bug: still one line, never a traceback
        return _fail(f"unexpected {type(exc).__name__}: {exc} (please report this)")
    return status or 0


def _fail(message: str) -> int:
    with contextlib.suppress(OSError, AttributeError, ValueError):  # stderr may be closed too
        print(f"rsiviz: error: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE


__all__ = ["COLUMNS", "run_cli"]
