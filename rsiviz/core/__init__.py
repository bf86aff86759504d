"""The rsiviz model core: numpy and the standard library only (no Qt)."""

from rsiviz.core.history import COLUMNS, History
from rsiviz.core.interventions import DevelopmentPause, Lab
from rsiviz.core.params import PARAM_NAMES, ParameterError, Params, ParamSpec, param_specs
from rsiviz.core.simulation import Simulation

__all__ = [
    "COLUMNS",
    "PARAM_NAMES",
    "DevelopmentPause",
    "History",
    "Lab",
    "ParamSpec",
    "ParameterError",
    "Params",
    "Simulation",
    "param_specs",
]
