"""A scalar, pure-Python reference implementation of MODEL.md for one lab and one member.

This is deliberately the obvious code: floats and the ``math`` module, explicit (forward
Euler) sub-steps of small fixed movement, pause logic written out by hand. It shares no
numerics with :mod:`rsiviz.core.model` / :mod:`rsiviz.core.simulation` and is used

* as an independent oracle in ``tests/core/test_reference.py``, and
* as the "straightforward scalar Python loop" baseline in ``bench/bench_core.py``.

Its error is first order in ``max_move`` (the largest move of any level in one sub-step):
halving ``max_move`` halves the error, so ``2 * run(m / 2) - run(m)`` (Richardson) is a
still better reference when one is needed.

Supported: one lab that complies with pauses; date-triggered development pauses of fixed
length (``DevelopmentPause.at``); the three release modes; an optional fixed automation
share (``a_fixed=1`` is the Forethought configuration).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rsiviz.core.interventions import DevelopmentPause
from rsiviz.core.params import Params

# Same definitions as rsiviz.core.model (restated, not imported, to stay independent).
_LOGIT_SPAN = math.log(0.95 / 0.05) - math.log(0.2 / 0.8)  # logit(95%) - logit(20%)
_CEILING_EPS = 1e-9  # software is held at s_max * (1 - 1e-9), where returns are ~0
_EXPONENT_GUARD = 300.0  # only keeps 10**x a finite float; never reached in practice
_MONTH = 1.0 / 12.0

# Lab modes between month boundaries.
_FREE, _FROZEN, _GRADUAL, _LAG = "free", "frozen", "gradual", "no_catch_up"
_RELEASE_MODE = {"instant": _FREE, "gradual": _GRADUAL, "no_catch_up": _LAG}


def _logistic(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def reference_run(
    params: Params,
    pauses: Sequence[DevelopmentPause] = (),
    a_fixed: float | None = None,
    max_move: float = 0.005,
) -> dict[str, list[float]]:
    """Integrate the model for one lab; monthly values of year, h, s, c, v and paused (0/1).

    ``max_move`` is the largest change (OOM) of h, s, c or v in one explicit sub-step;
    a sub-step never crosses a month boundary.
    """
    if max_move <= 0.0:
        raise ValueError("max_move must be positive")
    for pause in pauses:
        if pause.trigger != "date" or pause.until_oversight or pause.defection:
            raise ValueError("reference_run supports date-triggered, fixed-length pauses only")
        if pause.compliance is not None and not pause.compliance:
            raise ValueError("reference_run models one lab that complies with every pause")

    # --- constants ------------------------------------------------------------------------
    t0 = params.start_year
    g_c = params.compute_growth
    h_max = params.compute_ceiling
    g_s = params.software_pace
    r = params.software_returns
    p = params.parallel_returns
    f = params.full_automation_speedup
    s_max = params.software_ceiling
    w = params.automation_span / _LOGIT_SPAN  # logistic width: a = logistic((c - c50) / w)
    c50 = w * math.log(1.0 / params.automation_now - 1.0)  # so that a(c = 0) = a(t0)
    g_v = params.oversight_pace
    sigma = params.oversight_share
    b_pause = params.pause_oversight_boost
    pi_s = params.pause_research_fraction
    pi_h = params.pause_compute_fraction
    release_rate = params.release_rate
    default_release = params.release_mode
    s_cap = s_max * (1.0 - _CEILING_EPS)
    v_max = h_max + s_max + 2.0
    n_months = params.n_months

    def software_rate(t: float, h: float, s: float, c: float) -> float:
        """ds/dt = g_S0 10^(p rho - B(s)) of a lab training freely (OOM/yr)."""
        a = _logistic((c - c50) / w) if a_fixed is None else a_fixed
        rho_h = (g_s / r) * (t - t0)
        rho_ai = math.log10(f) / p + h + s
        rho = (1.0 - a) * rho_h + a * rho_ai
        b = -(p * s_max / r) * math.log(1.0 - s / s_max)
        return g_s * math.pow(10.0, min(p * rho - b, _EXPONENT_GUARD))

    # --- state ----------------------------------------------------------------------------
    h = s = c = 0.0
    v = params.oversight_start
    mode = _FREE
    status = ["pending"] * len(pauses)  # pending -> active -> done
    started = [0.0] * len(pauses)

    out: dict[str, list[float]] = {k: [] for k in ("year", "h", "s", "c", "v", "paused")}

    for month in range(n_months + 1):
        t = t0 + month * _MONTH
        # --- month boundary: pauses start and end, the lab is released ----------------------
        ended_modes: list[str] = []
        for i, pause in enumerate(pauses):
            if status[i] == "pending" and t >= pause.start - 1e-6:
                status[i], started[i] = "active", t
            if status[i] == "active" and (t - started[i]) * 12.0 >= pause.months - 1e-6:
                status[i] = "done"
                ended_modes.append(_RELEASE_MODE[pause.release or default_release])
        paused = "active" in status
        if paused:
            mode = _FROZEN
        elif mode == _FROZEN:  # released now
            mode = ended_modes[0] if ended_modes else _FREE
            if mode == _FREE:
                c = h + s  # instant release: the whole overhang at once
        if mode in (_GRADUAL, _LAG) and c >= h + s - 1e-9:
            mode = _FREE  # caught up with potential

        out["year"].append(t)
        out["h"].append(h)
        out["s"].append(s)
        out["c"].append(c)
        out["v"].append(v)
        out["paused"].append(1.0 if paused else 0.0)
        if month == n_months:
            break

        # --- one month of explicit sub-steps ------------------------------------------------
        research = pi_s if mode == _FROZEN else 1.0
        compute = pi_h if mode == _FROZEN else 1.0
        boost = b_pause if paused else 1.0
        extra = release_rate if mode == _GRADUAL else 0.0
        elapsed = 0.0
        while elapsed < _MONTH * (1.0 - 1e-12):
            dh = g_c * compute if h < h_max else 0.0
            ds = software_rate(t + elapsed, h, s, c) * research
            dc = 0.0 if mode == _FROZEN else dh + ds + extra
            m = ds / g_s  # progress multiplier
            dv = g_v * (1.0 + sigma * (m - 1.0)) * boost if v < v_max else 0.0
            speed = max(dh, ds, dc, abs(dv))
            dt = _MONTH - elapsed
            if speed * dt > max_move:
                dt = max_move / speed
            h = min(h + dh * dt, h_max)
            s = min(s + ds * dt, s_cap)
            c = min(c + dc * dt, h + s)
            v = min(v + dv * dt, v_max)
            elapsed += dt
    return out
