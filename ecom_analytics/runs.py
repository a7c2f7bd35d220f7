"""The one shape every capability's run returns, and the progress callback every run accepts.

Each capability exposes ``run(workspace, datasets, settings, on_progress) -> Run``: pages and the
CLI call it, pages draw its result, the CLI prints or writes it. ``datasets`` names the inputs by
role (``{"orders": id, "events": id, "customers": id}``); ``settings`` is the capability's own
frozen settings dataclass, so a run is keyed by (datasets, settings) and can be cached or saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecom_analytics.errors import Note  # defined in the lowest module, so an error can carry one

#: ``on_progress(share, step)``: ``share`` of the work done (0-1) and the step: a message code, or a
#: :class:`Note` when the step has parameters (``Note("Fitting {model}", {"model": ...})``)
Progress = Callable[[float, "str | Note"], None]


def no_progress(share: float, step: "str | Note") -> None:
    """The default ``on_progress``: ignore progress."""


@dataclass
class Run:
    """What every capability's run gives back.

    ``leaderboard``: one row per model with its scores on the held-out part (best first);
    ``best_model``: the code of the model chosen (see :mod:`ecom_analytics.names`);
    ``notes``: what the analyst should know, as :class:`Note`;
    ``summary``: the run's figures as plain JSON-able values (the CLI's ``--json``);
    ``result``: the capability's own full result object (forecasts, predictions, ...)."""

    capability: str
    datasets: dict[str, str | None]
    settings: Any
    leaderboard: pd.DataFrame
    best_model: str | None
    notes: list[Note] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    result: Any = None
