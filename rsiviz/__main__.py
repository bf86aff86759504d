"""Entry point: a subcommand runs the headless CLI; no subcommand opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rsiviz.cli import SUBCOMMANDS
from rsiviz.core.offload import CHILD_FLAG, serve


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == [CHILD_FLAG]:  # the window's worker process (rsiviz.core.offload): no Qt
        return serve()
    if args and args[0] == "export":  # rendering needs Qt: the GUI package, imported lazily
        from rsiviz.gui.export_cli import main as export_main

        return export_main(args[1:])
    if args and (args[0] in SUBCOMMANDS or args[0] in ("-h", "--help", "--version")):
        from rsiviz.cli.main import run_cli

        return run_cli(args)
    # The window (and --screenshot / --self-test) need Qt: imported only here.
    from rsiviz.gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
