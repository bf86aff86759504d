"""SVG export that works with current Qt: pyqtgraph 0.14.0's exporter fails on closed paths.

Qt's SVG generator writes closed paths (fills, legend boxes, region items) with a final
``Z``; pyqtgraph 0.14.0's ``correctCoordinates`` splits every path token on "," and dies
with ``ValueError: not enough values to unpack`` on that bare ``Z``
(pyqtgraph/pyqtgraph#3495; upstream fix in PR #3458, not in a release yet).

We wrap ``correctCoordinates`` for the duration of our export only: before it runs, each
closing ``Z`` gets a dummy coordinate pair so pyqtgraph's parser reads it like any other
command; afterwards the (transformed) dummy pair is removed again, which leaves valid
SVG path data with the ``Z`` in place. Nothing of pyqtgraph's is changed permanently.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.dom import minidom

from pyqtgraph.exporters import SVGExporter

from rsiviz.core.atomic import atomic_write_text

# The module, not the class of the same name that pyqtgraph.exporters re-exports.
_svg_module = importlib.import_module(SVGExporter.__module__)

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_CLOSE_TOKEN = re.compile(r"(?<!\S)([Zz])(?=\s|$)")
_CLOSE_WITH_DUMMY = re.compile(rf"([Zz]){_NUM},{_NUM}")
_GLUED = re.compile(r"([MLCmlc])\s+")


def _paths(node: minidom.Element) -> list[minidom.Element]:
    return list(node.getElementsByTagName("path"))


def normalise_path_data(d: str) -> str:
    """Qt path data in the one-token-per-point form pyqtgraph parses ("Z" -> "Z0,0")."""
    d = _GLUED.sub(r"\1", d.strip())  # "M 1,2" -> "M1,2"
    return _CLOSE_TOKEN.sub(r"\g<1>0,0", d)


def restore_path_data(d: str) -> str:
    """Drop the dummy pair again: "Z12.5,3" -> "Z"."""
    return _CLOSE_WITH_DUMMY.sub(r"\1", d).strip()


def _fixed_correct_coordinates(original: Any) -> Any:
    def correct(node: minidom.Element, defs: Any, item: Any, options: Any) -> Any:
        for path in _paths(node):
            path.setAttribute("d", normalise_path_data(path.getAttribute("d")))
        try:
            return original(node, defs, item, options)
        finally:
            for path in _paths(node):
                path.setAttribute("d", restore_path_data(path.getAttribute("d")))

    return correct


@contextlib.contextmanager
def closed_paths_fixed() -> Iterator[None]:
    """pyqtgraph's SVG export with the closed-path fix, inside this block only."""
    original = _svg_module.correctCoordinates
    _svg_module.correctCoordinates = _fixed_correct_coordinates(original)
    try:
        yield
    finally:
        _svg_module.correctCoordinates = original


class FixedSVGExporter(SVGExporter):
    """pyqtgraph's SVGExporter with closed paths fixed and width/height on the root element."""

    def export(self, fileName: Any = None, toBytes: bool = False, copy: bool = False) -> Any:
        with closed_paths_fixed():
            data = super().export(toBytes=True)
        text = _sized(data.decode("utf-8"), self.params["width"], self.params["height"])
        if toBytes:
            return text.encode("utf-8")
        atomic_write_text(fileName, text)
        return None


def _sized(text: str, width: float, height: float) -> str:
    """Give the root <svg> a width and height, so browsers and Inkscape size it right."""
    w, h = int(width), int(height)
    text = text.replace("<svg ", f'<svg width="{w}" height="{h}" ', 1)
    text = text.replace('viewBox ="', 'viewBox="', 1)
    # The background rect in pixels: "100%" is read differently by Qt's own renderer.
    return text.replace('<rect width="100%" height="100%"', f'<rect width="{w}" height="{h}"', 1)


def export_svg(scene_or_item: Any, path: str, width: int | None = None) -> None:
    """Write the plots (a QGraphicsScene or item) as SVG to ``path``."""
    exporter = FixedSVGExporter(scene_or_item)
    if width is not None:
        exporter.params["width"] = int(width)
    exporter.export(path)


def pixel_sized(path: Path, width: int, height: int) -> None:
    """Qt's SVG generator gives the root element a size in millimetres; a slide wants
    pixels (``width="1920"``), as the user asked for."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("<svg")
    root, close, body = rest.partition(">")
    root = re.sub(r'\swidth="[^"]*"', f' width="{width}"', root, count=1)
    root = re.sub(r'\sheight="[^"]*"', f' height="{height}"', root, count=1)
    path.write_text(head + sep + root + close + body, encoding="utf-8")
