"""The loop of MODEL.md as a diagram's data: each node's level and each link's contribution.

For one month of a :class:`~rsiviz.core.history.History`, :func:`loop_state` splits
log10 of the frontier lab's software rate into the model's own terms (equations 3-4)::

    log10(ds/dt) = log10 g_S0 + p (1 - a) rho_H + p a rho_AI - B(s) [+ log10 pi_S if paused]

(historical pace, human research, AI research labour, the diminishing-returns drag, and the
development pause's slower research), and reads the other influences of the loop (compute
growth, automation, oversight's uplift sigma (M - 1), the gap) from the same equations.
Link cuts in force at the month are applied exactly as the simulation applies them.
:data:`LOOP_LINKS` names the diagram's links, their signs and the term each one stands for.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rsiviz.core.cuts import in_force
from rsiviz.core.history import History
from rsiviz.core.interventions import LinkCut
from rsiviz.core.model import CEILING_TOL, LOG10_2


@dataclass(frozen=True)
class LoopState:
    """The loop at one month boundary, frontier lab of one member.

    Levels are OOM above the start (``h, s, c, v, gap``); ``a`` a share; ``rho_h, rho_ai``
    log10 research inputs; rates OOM/yr. The ``*_term`` fields are the terms of log10 of
    the software rate (OOM/yr) and sum to ``log_rate``.
    """

    year: float
    paused: bool
    cut: tuple[str, ...]  # links cut at this month
    h: float
    s: float
    c: float
    a: float
    rho_h: float
    rho_ai: float
    multiplier: float  # M = (ds/dt) / g_S0
    doubling_time_months: float  # inf while capability does not grow
    v: float
    gap: float
    pace_term: float  # log10 g_S0
    human_term: float  # p (1 - a) rho_H, >= 0
    ai_term: float  # p a rho_AI, the feedback loop
    ai_gain: float  # p a (rho_AI - rho_H): what AI labour adds over human research
    returns_term: float  # -B(s), <= 0
    pause_term: float  # log10 pi_S during a development pause, else 0
    compute_growth: float  # dh/dt
    software_growth: float  # ds/dt
    capability_growth: float  # realised over the month before, OOM/yr (shows a release)
    uplift: float  # sigma (M - 1): oversight's gain from AI's speed-up
    oversight_growth: float  # dv/dt

    @property
    def log_rate(self) -> float:
        """log10 of the software rate (OOM/yr), the sum of the terms."""
        return self.pace_term + self.human_term + self.ai_term + self.returns_term + self.pause_term

    @property
    def ai_speedup(self) -> float:
        """How many times faster research goes than with human researchers alone.

        ``10^(p a (rho_AI - rho_H))``: the part of the research input that AI labour adds
        (today's ~1.18x with default parameters).
        """
        return float(10.0 ** min(self.ai_gain, 300.0))


def _at(value: Any, member: int) -> float:
    """A constant for ``member``: floats are shared, (N, 1) arrays are per member."""
    return float(value[member, 0]) if isinstance(value, np.ndarray) else float(value)


def _cut_month(hist: History, cut: LinkCut) -> int:
    """The month boundary where ``cut`` started (the simulation's rule, :func:`in_force`)."""
    return next(i for i, t in enumerate(hist.years) if in_force(cut, float(t)))


_CONSTANTS: tuple[str, ...] = ("k_human", "l0", "pi_s", "p", "g_s", "k_b", "s_max", "sigma")
_CONSTANTS += ("h_max", "g_c", "pi_h", "g_v", "boost")
_last_constants: list[Any] = [None, -1, {}]  # (constants object, member, floats): one frame's


def _constants(k: Any, member: int) -> dict[str, float]:
    """The constants :func:`loop_state` reads, as floats; kept for the last ``(k, member)``
    (a frame of the loop diagram reads the same run's constants every month)."""
    if _last_constants[0] is not k or _last_constants[1] != member:
        values = {name: _at(getattr(k, name), member) for name in _CONSTANTS}
        _last_constants[:] = [k, member, values]
    return _last_constants[2]  # type: ignore[no-any-return]


class _Month:
    """One month, member and (frontier) lab of a history: levels and constants as floats."""

    def __init__(self, hist: History, month: int, member: int, cuts: Sequence[LinkCut]):
        self.hist, self.i, self.n = hist, month, member
        self.j = int(np.argmax(hist.c[month, member]))
        self.held = {c.name: _cut_month(hist, c) for c in cuts if in_force(c, hist.years[month])}
        self.consts = _constants(hist.k, member)

    def k(self, name: str) -> float:
        return self.consts[name]

    def lab(self, arr: np.ndarray, month: int | None = None) -> float:
        return float(arr[self.i if month is None else month, self.n, self.j])

    def labour(self) -> float:
        """The (h - h0) + (s - s0) term of rho_AI, held from its cut."""
        m_c = self.held.get("ai_labour")
        return self.lab(self.hist.h, m_c) + self.lab(self.hist.s, m_c)

    def returns(self) -> float:
        """-B(s), continued linearly from s_c once ``returns`` is cut (r_eff held there)."""
        k_b, s_max, s = self.k("k_b"), self.k("s_max"), self.lab(self.hist.s)
        if "returns" not in self.held:
            return k_b * math.log1p(-s / s_max)
        s_c = self.lab(self.hist.s, self.held["returns"])
        return k_b * math.log1p(-s_c / s_max) - k_b / (s_max - s_c) * (s - s_c)

    def uplift(self) -> float:
        """sigma (M - 1), held from its cut."""
        ds = self.lab(self.hist.ds, self.held.get("oversight_uplift"))
        return self.k("sigma") * (ds / self.k("g_s") - 1.0)

    def compute_growth(self, lab_paused: bool) -> float:
        grows = "compute" not in self.held and self.lab(self.hist.h) < self.k("h_max") - CEILING_TOL
        return self.k("g_c") * (self.k("pi_h") if lab_paused else 1.0) * grows


def _doubling_months(dc: float) -> float:
    """:func:`~rsiviz.core.history.doubling_time_months` of one float, without numpy."""
    return LOG10_2 / max(dc, 1e-300) * 12.0 if dc > 1e-9 else math.inf


def loop_state(
    hist: History, month: int, cuts: Sequence[LinkCut] = (), member: int = 0
) -> LoopState:
    """The loop at ``month`` (0 = start) of ``hist``, with the ``cuts`` of its run."""
    mo = _Month(hist, month, member, cuts)
    i = month
    a, rho_h = mo.lab(hist.a), mo.k("k_human") * (hist.years[i] - hist.k.t0)
    rho_ai = mo.k("l0") + mo.labour()
    lab_paused = bool(hist.paused[i, member, mo.j])
    paused = bool(hist.paused[i, member].any())
    pi_s = mo.k("pi_s")
    c, v = float(hist.c[i, member].max()), float(hist.v[i, member])
    before = float(hist.c[i - 1, member].max()) if i else c
    uplift = mo.uplift()
    return LoopState(
        year=float(hist.years[i]),
        paused=paused,
        cut=tuple(mo.held),
        h=mo.lab(hist.h),
        s=mo.lab(hist.s),
        c=c,
        a=a,
        rho_h=rho_h,
        rho_ai=rho_ai,
        multiplier=mo.lab(hist.ds) / mo.k("g_s"),
        doubling_time_months=_doubling_months(mo.lab(hist.dc)),
        v=v,
        gap=c - v,
        pace_term=math.log10(mo.k("g_s")),
        human_term=mo.k("p") * (1.0 - a) * rho_h,
        ai_term=mo.k("p") * a * rho_ai,
        ai_gain=mo.k("p") * a * (rho_ai - rho_h),
        returns_term=mo.returns(),
        # no research at all in a development pause with pi_S = 0: log10 of 0
        pause_term=(math.log10(pi_s) if pi_s > 0 else -math.inf) if lab_paused else 0.0,
        compute_growth=mo.compute_growth(lab_paused),
        software_growth=mo.lab(hist.ds),
        capability_growth=(c - before) * 12.0,
        uplift=uplift,
        oversight_growth=mo.k("g_v") * (1.0 + uplift) * (mo.k("boost") if paused else 1.0),
    )


# -- the diagram: nodes, links and loops -----------------------------------------------------
NODES: dict[str, str] = {
    "compute": "Compute",
    "software": "Software efficiency",
    "capability": "Capability",
    "automation": "Automation of AI research",
    "labour": "AI research labour",
    "progress": "Software progress (RSI clock)",
    "oversight": "Oversight",
    "gap": "Gap",
}


def node_level(state: LoopState, node: str) -> str:
    """The level a node shows, in the model's units."""
    if node == "automation":
        return f"a = {state.a:.0%}"
    if node == "labour":
        return f"speeds research {_times(state.ai_speedup)}"
    if node == "progress":
        clock = (
            ("clock stopped" if state.paused else "not growing")
            if not math.isfinite(state.doubling_time_months)
            else f"doubling {state.doubling_time_months:.3g} mo"
        )
        return f"M = {_times(state.multiplier)}\n{clock}"
    value = {"compute": state.h, "software": state.s, "capability": state.c}.get(node)
    if value is None:
        value = state.v if node == "oversight" else state.gap
    return f"{value:+.1f} OOM"


def _times(x: float) -> str:
    """A speed-up factor: 1.18x, 39.4x, 16,300x, 2.1e+07x."""
    if x < 100:
        return f"{x:.3g}x"
    return f"{float(f'{x:.3g}'):,.0f}x" if x < 1e6 else f"{x:.1e}x"


@dataclass(frozen=True)
class LoopLink:
    """A link of the diagram: the influence of ``source`` on ``target`` with its sign.

    ``cut`` names the :class:`~rsiviz.core.interventions.LinkCut` that holds it (None: it
    cannot be cut); ``term`` is the equation term it stands for; ``value`` reads its current
    contribution, and ``scale`` is the contribution drawn at half the full width.
    """

    key: str
    source: str
    target: str
    sign: int
    cut: str | None
    term: str
    unit: str
    scale: float
    value: Callable[[LoopState], float]

    def strength(self, state: LoopState) -> float:
        """0..1: how strongly the link acts now (``|value| / (|value| + scale)``)."""
        x = abs(self.value(state))
        return x / (x + self.scale) if math.isfinite(x) else 1.0

    def describe(self, state: LoopState) -> str:
        """Tooltip text: the term and its current value."""
        value = self.value(state)
        return f"{self.term}\nnow: {value:+.3g} {self.unit}"


def _trained_compute(st: LoopState) -> float:
    return 0.0 if st.paused else st.compute_growth


LOOP_LINKS: tuple[LoopLink, ...] = (
    LoopLink(
        "compute_capability",
        "compute",
        "capability",
        +1,
        "compute",
        "compute growth dh/dt = g_C (capability c = h + s)",
        "OOM/yr",
        1.0,
        _trained_compute,
    ),
    LoopLink(
        "software_capability",
        "software",
        "capability",
        +1,
        None,
        "capability c follows potential h + s (frozen in a development pause)",
        "OOM/yr",
        3.0,  # wide enough a range that the release of an overhang stands out
        lambda st: max(st.capability_growth - _trained_compute(st), 0.0),
    ),
    LoopLink(
        "capability_automation",
        "capability",
        "automation",
        +1,
        "automation",
        "a = logistic((c - c50) / w)",
        "share",
        0.25,
        lambda st: st.a,
    ),
    LoopLink(
        "automation_labour",
        "automation",
        "labour",
        +1,
        "automation",
        "rho = (1 - a) rho_H + a rho_AI: share a of research done by AI",
        "share",
        0.25,
        lambda st: st.a,
    ),
    LoopLink(
        "compute_labour",
        "compute",
        "labour",
        +1,
        "ai_labour",
        "rho_AI = log10(f)/p + (h - h0) + (s - s0): the (h - h0) term",
        "OOM",
        2.0,
        lambda st: st.h,
    ),
    LoopLink(
        "software_labour",
        "software",
        "labour",
        +1,
        "ai_labour",
        "rho_AI = log10(f)/p + (h - h0) + (s - s0): the (s - s0) term",
        "OOM",
        2.0,
        lambda st: st.s,
    ),
    LoopLink(
        "labour_progress",
        "labour",
        "progress",
        +1,
        None,
        "p a rho_AI in log10(ds/dt): AI research labour",
        "OOM of speed",
        1.0,
        lambda st: st.ai_term,
    ),
    LoopLink(
        "progress_software",
        "progress",
        "software",
        +1,
        None,
        "ds/dt = g_S0 10^(p rho - B(s - s0))",
        "OOM/yr",
        1.0,
        lambda st: st.software_growth,
    ),
    LoopLink(
        "returns",
        "software",
        "progress",
        -1,
        "returns",
        "-B(s - s0): returns r_eff = r (1 - s / s_max) fall toward the limit",
        "OOM of speed",
        1.0,
        lambda st: st.returns_term,
    ),
    LoopLink(
        "progress_oversight",
        "progress",
        "oversight",
        +1,
        "oversight_uplift",
        "dv/dt = g_V (1 + sigma (M - 1)) b: the sigma (M - 1) term",
        "",
        0.5,
        lambda st: st.uplift,
    ),
    LoopLink(
        "capability_gap",
        "capability",
        "gap",
        +1,
        None,
        "G = C - v",
        "OOM",
        5.0,
        lambda st: st.c,
    ),
    LoopLink(
        "oversight_gap",
        "oversight",
        "gap",
        -1,
        None,
        "G = C - v",
        "OOM",
        5.0,
        lambda st: st.v,
    ),
)
LINK_BY_KEY: dict[str, LoopLink] = {link.key: link for link in LOOP_LINKS}

# The loops the diagram labels: name -> (text, the nodes it runs through).
LOOPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "R": (
        "R: AI speeds up AI research",
        ("capability", "automation", "labour", "progress", "software"),
    ),
    "B1": ("B1: diminishing returns near the software limit", ("software", "progress")),
    "B2": ("B2: oversight chasing capability", ("progress", "oversight", "gap")),
}
