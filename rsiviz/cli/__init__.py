"""Headless commands. Nothing here imports Qt or pyqtgraph."""

SUBCOMMANDS: tuple[str, ...] = (
    "run",
    "ensemble",
    "sweep",
    "replicate",
    "params",
    "story",
    "export",
)
