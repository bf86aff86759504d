"""``rsiviz story check FILE|NAME``: every beat's claims, PASS or FAIL, with the values.

Exit status 0 when every claim holds, 2 otherwise (or when the file is broken).
"""

from __future__ import annotations

import argparse

from rsiviz.core.claims import check_story
from rsiviz.core.story import find_story


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    story = sub.add_parser("story", help="story files: check the claims of every beat")
    actions = story.add_subparsers(dest="story_command", required=True)
    check = actions.add_parser(
        "check", help="run the model to every beat and check the beat's claims"
    )
    check.add_argument("story", metavar="FILE|NAME", help="a story file or a shipped story")


def report(name: str) -> tuple[list[str], int]:
    """The report's lines and the number of false claims."""
    story = find_story(name, check=False)
    results = check_story(story)
    total = sum(len(v) for _, v in results)
    lines = [f"{story.source}: {story.title!r}, {len(results)} beats, {total} claims"]
    false = 0
    for state, verdicts in results:
        lines.append(f"beat {state.index + 1} ({state.year:.2f}): {state.caption}")
        if not verdicts:
            lines.append("  (no claims)")
        for v in verdicts:
            false += not v.holds
            lines.append(f"  {'PASS' if v.holds else 'FAIL'}  {v.claim.text}: {v.observed}")
    lines.append(
        f"all {total} claims hold" if not false else f"{false} of {total} claims are false"
    )
    return lines, false


def cmd_story(args: argparse.Namespace) -> int:
    lines, false = report(args.story)
    print("\n".join(lines))
    return 2 if false else 0
