"""The customer-prediction run: one call that loads the inputs, trains and ranks every model of a
task, computes the evaluation curves once and saves the run in the workspace's registry.

``run(workspace, datasets, settings, on_progress)`` is what the Model page's training job and the
``predict`` command call. ``datasets`` names stored datasets by role (``{"orders": id, "events": id,
"customers": id}``), or is an :class:`ecom_analytics.ingest.inputs.Inputs` the command line read
from files or dataset ids. The run id is 16 hex digits of (datasets, task, horizon, neural
parameters), as the Model page has always made it, so runs stored before keep opening.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.ingest.inputs import ROLES, Inputs, given_inputs
from ecom_analytics.names import TASKS
from ecom_analytics.predict import evaluation
from ecom_analytics.runs import Note, Progress, Run, no_progress
from ecom_analytics.store import Workspace

#: the share of the work done when each step of :func:`ecom_analytics.predict.training.train_and_evaluate` starts
STEP_SHARES = (("Building examples", 0.02), ("Fitting the baselines", 0.15), ("Training the neural model", 0.25),
               ("Refitting on every labelled cutoff", 0.80), ("Refitting the neural network", 0.85))
CURVES_STEP = "Computing the evaluation curves"
EXPLAIN_STEP = "Explaining every score (SHAP values)"
SAVING_STEP = "Saving the model to the workspace"
DONE_STEP = "Done"

#: the neural model's keyword arguments a run may set (see ecom_analytics.predict.neural.NeuralModel)
NEURAL_PARAMS = ("hidden", "dropout", "l2", "learning_rate", "batch_size", "epochs", "patience", "class_weight")


@dataclass(frozen=True)
class PredictSettings:
    """What a customer-prediction run is asked for.

    ``task``: purchase, churn or revenue; ``horizon``: the window H in days the task looks ahead;
    ``seed``: the neural model's seed (None: its default); ``neural``: the neural model's other
    parameters given (``hidden`` as a tuple of units, ``dropout``, ``l2``, ``learning_rate``,
    ``batch_size``, ``epochs``, ``patience``, ``class_weight``) as sorted (name, value) pairs, so the
    settings are hashable; ``models``: the model codes to train (None: every model of the task)."""

    task: str
    horizon: int
    seed: int | None = None
    neural: tuple[tuple[str, Any], ...] = ()
    models: tuple[str, ...] | None = None

    @classmethod
    def make(cls, task: str, horizon: int, *, seed: int | None = None, models: list[str] | None = None,
             **neural: Any) -> PredictSettings:
        """Settings from keyword arguments (``hidden`` may be a list); raises InputError for an
        unknown task, a horizon below one day or an unknown neural parameter."""
        if task not in TASKS:
            raise InputError("Unknown task '{task}'; choose purchase, churn or revenue.", task=task)
        if int(horizon) < 1:
            raise InputError("The horizon must be at least 1 day (got {horizon}).", horizon=horizon)
        unknown = sorted(set(neural) - set(NEURAL_PARAMS))
        if unknown:
            raise InputError("Unknown neural network setting {names}.", names=', '.join(unknown))
        pairs = tuple(sorted((k, tuple(v) if k == "hidden" else v) for k, v in neural.items()))
        return cls(task, int(horizon), None if seed is None else int(seed), pairs,
                   None if models is None else tuple(models))

    def neural_params(self) -> dict[str, Any]:
        """The keyword arguments of the neural model (``hidden`` a tuple), the seed included."""
        out = dict(self.neural)
        if self.seed is not None:
            out["seed"] = self.seed
        return out

    def params(self) -> dict[str, Any]:
        """The settings as the registry stores them (``hidden`` a list): the key of the run id."""
        out = {k: (list(v) if k == "hidden" else v) for k, v in self.neural_params().items()}
        if self.models is not None:
            out["models"] = list(self.models)
        return out

    def run_id(self, datasets: dict[str, str | None]) -> str:
        """The id the run of these settings on ``datasets`` is stored under."""
        from ecom_analytics.predict.registry import run_id_for

        return run_id_for({role: datasets.get(role) for role in ROLES}, self.task, self.horizon, self.params())


@dataclass
class PredictRun(Run):
    """A customer-prediction :class:`ecom_analytics.runs.Run`: ``result`` is the
    :class:`ecom_analytics.predict.training.TaskRun`, ``summary`` its ``summary()`` (the ``predict``
    command's ``--json``); ``curves`` the evaluation curves (see :func:`evaluation_curves`);
    ``run_id`` the id it is stored under (None when it was not saved); ``explanations`` the SHAP
    values of every model (see :func:`ecom_analytics.predict.explain.explain_run`)."""

    curves: dict[str, pd.DataFrame] = field(default_factory=dict)
    run_id: str | None = None
    explanations: dict = field(default_factory=dict)

    def reasons(self, *, top: int = 3, lang: str = "en") -> pd.DataFrame:
        """``reason_1`` .. ``reason_<top>`` of every customer of the predictions, in words, from the
        best model's SHAP values (the model of the predictions' first column)."""
        from ecom_analytics.predict.explain import reason_columns

        predictions = self.result.predictions
        best = predictions.columns[0] if len(predictions.columns) else None
        found = self.explanations.get("current", {}).get(best)
        return reason_columns(found, self.result.current, predictions.index, top=top, lang=lang)


def default_threshold(scores: np.ndarray) -> float:
    """The threshold the Evaluation page opens at: the 90th percentile of the scores, to 2 decimals
    (the top tenth of customers count as predicted positives)."""
    return float(np.round(np.quantile(np.asarray(scores, dtype=float), 0.9), 2))


def slice_groups(test: pd.DataFrame, by: str) -> pd.Series:
    """Each test customer's slice, in the test window's order: ``country`` (Unknown when missing) or
    ``RFM segment`` (from recency, orders and revenue at the test cutoff; "no orders" for customers
    without any; "all" when the features have no RFM columns)."""
    from ecom_analytics.insights.segments import rfm_scores

    if by == "country":
        return test["country"].astype("string").fillna("Unknown").reset_index(drop=True)
    if "recency_days" not in test.columns:
        return pd.Series("all", index=range(len(test)))
    groups = rfm_scores(test[["recency_days", "orders", "revenue_total"]])["segment"].reindex(test.index)
    return groups.fillna("no orders").reset_index(drop=True)


def evaluation_curves(test: pd.DataFrame, scores: dict[str, np.ndarray], task: str) -> dict[str, pd.DataFrame]:
    """Every curve and table the Evaluation page draws, for every model, in long frames with a
    ``model`` column: ``gain`` and ``slices`` (with a ``by`` column: country when the customers have
    one, RFM segment for purchase and churn), and for purchase and churn also ``roc``, ``pr``,
    ``calibration``, ``top_share`` and ``confusion`` (one row per model at :func:`default_threshold`).
    ``test`` holds the ``label`` of each customer of the test window, ``scores`` each model's
    scores in the same order."""
    y = test["label"].to_numpy()
    parts: dict[str, list[pd.DataFrame]] = {}

    def add(kind: str, frame: pd.DataFrame, **columns: Any) -> None:
        frame = frame.copy()
        for offset, (name, value) in enumerate(columns.items()):
            frame.insert(offset, name, value)
        parts.setdefault(kind, []).append(frame)

    bys = (["country"] if "country" in test.columns else []) + (["RFM segment"] if task != "revenue" else [])
    if not bys:
        bys = ["all"]
    groups = {by: (slice_groups(test, by) if by != "all" else pd.Series("all", index=range(len(test))))
              for by in bys}
    for model, p in scores.items():
        add("gain", evaluation.gain_table(y, p), model=model)
        for by, g in groups.items():
            add("slices", evaluation.slice_metrics(y, p, g, task=task), model=model, by=by)
        if task == "revenue":
            continue
        add("roc", evaluation.roc_points(y, p), model=model)
        add("pr", evaluation.pr_points(y, p), model=model)
        add("calibration", evaluation.calibration_table(y, p), model=model)
        add("top_share", evaluation.top_share_table(y, p), model=model)
        add("confusion", pd.DataFrame([evaluation.confusion_at(y, p, default_threshold(p))]), model=model)
    return {kind: pd.concat(frames, ignore_index=True) for kind, frames in parts.items()}


def curve_of(curves: dict[str, pd.DataFrame], kind: str, model: str, by: str | None = None) -> pd.DataFrame:
    """One model's rows of a kind of curve (and of one slicing ``by``), without the key columns."""
    frame = curves[kind]
    keep = frame["model"] == model
    if by is not None:
        keep &= frame["by"] == by
    return frame[keep].drop(columns=[c for c in ("model", "by") if c in frame.columns]).reset_index(drop=True)


def _stage_reporter(on_progress: Progress) -> Callable[[str | Note], None]:
    def say(message: str | Note) -> None:
        code = message.code if isinstance(message, Note) else message
        share = next((s for prefix, s in STEP_SHARES if code.startswith(prefix)), None)
        on_progress(share if share is not None else 0.5, message)
    return say


def run(workspace: Workspace | None, datasets: dict[str, str | None] | Inputs, settings: PredictSettings,
        on_progress: Progress = no_progress, on_epoch: Callable[[int, dict], None] | None = None,
        should_stop: Callable[[], bool] | None = None, *, save: bool = True) -> PredictRun:
    """Train and rank the models of ``settings.task`` on ``datasets`` (stored dataset ids by role,
    or inputs already read), compute the evaluation curves and, when ``save`` and every input is a
    stored dataset of ``workspace``, store the run in the registry under ``settings.run_id``.

    ``on_progress(share, step)`` gets each step (its English text, a message id); ``on_epoch`` and
    ``should_stop`` reach the neural model (see :func:`ecom_analytics.predict.training.train_and_evaluate`).
    Raises InputError with one sentence when the data cannot support the task."""
    from ecom_analytics.predict import training

    inputs, ids = given_inputs(workspace, datasets)
    if inputs.orders is None and inputs.events is None:
        raise InputError("Models learn from orders (and optionally events); give at least one of them.")
    if inputs.orders is None and settings.task != "churn":
        raise InputError("The {task} task needs orders; with events only, choose churn.", task=Note(settings.task))
    given = [t for t in (inputs.orders, inputs.events, inputs.customers) if t is not None]
    stored = all(ids[role] for role, table in zip(ROLES, (inputs.orders, inputs.events, inputs.customers))
                 if table is not None) and bool(given)
    try:
        task_run = training.train_and_evaluate(
            inputs.orders, settings.task, settings.horizon, events=inputs.events, returns=inputs.returns,
            customers=inputs.customers, neural_params=settings.neural_params(),
            models=None if settings.models is None else list(settings.models),
            on_stage=_stage_reporter(on_progress), on_epoch=on_epoch, should_stop=should_stop)
    except InputError:
        raise
    except ValueError as exc:  # a check deeper in the library: said as such, not as a traceback
        raise InputError("The models could not be trained on these data: {reason}", reason=str(exc)) from exc
    on_progress(0.9, CURVES_STEP)
    curves = evaluation_curves(task_run.test, task_run.test_scores, task_run.task)
    from ecom_analytics.predict.explain import explain_run

    on_progress(0.92, EXPLAIN_STEP)
    explanations = explain_run(task_run)
    run_id = None
    if save and stored and workspace is not None:
        from ecom_analytics.predict.registry import save_run

        on_progress(0.95, SAVING_STEP)
        run_id = save_run(workspace, task_run, run_id=settings.run_id(ids), dataset_ids=ids, params=settings.params(),
                          curves=curves, explanations=explanations)
    on_progress(1.0, DONE_STEP)
    return PredictRun(capability="predict", datasets=ids, settings=settings, leaderboard=task_run.leaderboard,
                      best_model=task_run.best_model, notes=list(task_run.notes), summary=task_run.summary(),
                      result=task_run, curves=curves, run_id=run_id, explanations=explanations)


def notes_english(notes: list[Note]) -> list[str]:
    """The notes in English, one sentence each (what the CLI prints)."""
    return [note.english() for note in notes]
