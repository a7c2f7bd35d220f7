"""All at once: purchase, churn and revenue on the same split, plus lifetime value, in one run, and
one table with every customer's scores (as GA4 gives its predictive metrics together).

:func:`run_all` ``(workspace, datasets, settings, on_progress)`` calls the single-task run
(:func:`ecom_analytics.predict.run.run`) for each task with the settings
:meth:`AllSettings.task_settings` gives, so each task's :class:`~ecom_analytics.predict.run.PredictRun`
is the one training that task alone with those settings gives (same run id, saved the same way),
then the CLV run (:func:`ecom_analytics.predict.clv.run`, fitted on every order up to the last one's
day: the same "now" the tasks score customers at), and the same models fitted up to the day before
the tasks' test cutoff and checked on their test window. The split is the same for the three tasks: it
depends only on the data's first and last day and the horizon (:func:`~ecom_analytics.predict.modeling.plan_cutoffs`).

Progress: each of the four steps has its share of the bar (:data:`STEP_WEIGHTS`); inside a task the
task's own shares are used, and while a neural network trains its epochs move the bar too.
:class:`SecondsLeft` turns the share done and the time spent into an estimate of the seconds left
that never grows by more than half between two readings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.ingest.inputs import Inputs, given_inputs
from ecom_analytics.names import TASKS
from ecom_analytics.predict.run import NEURAL_PARAMS, STEP_SHARES, PredictRun, PredictSettings
from ecom_analytics.predict.run import run as run_task
from ecom_analytics.runs import Note, Progress, Run, no_progress
from ecom_analytics.store import Workspace

#: the model codes each task knows (a run's ``models`` keeps those of each task)
TASK_MODELS = {"purchase": ("recency", "bgnbd", "logistic", "gboost", "neural"),
               "churn": ("recency", "bgnbd", "logistic", "gboost", "neural"),
               "revenue": ("linear", "gboost", "bgnbd", "neural")}
#: the steps in order and each one's share of the whole bar: about their shares of the time on the
#: sample with the neural networks (purchase 16 s, churn 9 s, revenue 11 s of 36 s of training, a
#: second or two for lifetime value); other data take other times, which :class:`SecondsLeft` absorbs
STEP_WEIGHTS = {"purchase": 0.44, "churn": 0.24, "revenue": 0.29, "clv": 0.03}
#: each step's name in the progress messages (a message code)
STEP_NAMES = {"purchase": "Purchase", "churn": "Churn", "revenue": "Revenue", "clv": "Lifetime value"}
STEP_NOTE = "{task} ({n} of {total}): {step}"
CLV_STEP = "Fitting BG/NBD and Gamma-Gamma"
CHECK_STEP = "Checking the lifetime value on the test window"
CHECK_SKIPPED_NOTE = "The lifetime value could not be checked on the test window."
DONE_STEP = "Done"
#: the score column of each task in the combined table (the Segment builder's names)
SCORE_COLUMNS = {"purchase": "p_purchase", "churn": "p_churn", "revenue": "predicted_revenue"}
#: the lifetime-value columns of the combined table (from the CLV run's customers)
CLV_COLUMNS = ("expected_purchases", "expected_spend", "clv", "probability_alive")
REASONS = 3
SKIPPED_NOTE = "{task} could not be trained on these data; the combined table has no scores for it."
SPLIT_NOTE = ("The tasks were split at different test cutoffs ({cutoffs}); their scores are not from the same "
              "window.")

# where a task's neural network trains and refits within the task's own share (see run.STEP_SHARES)
_SHARE = dict(STEP_SHARES)
_FIT = (_SHARE["Training the neural model"], _SHARE["Refitting on every labelled cutoff"])
_REFIT = (_SHARE["Refitting the neural network"], 0.9)


@dataclass(frozen=True)
class AllSettings:
    """What an all-at-once run is asked for: the ``horizon`` H in days of the three tasks, the
    neural network's ``seed`` and other parameters (as :class:`PredictSettings` takes them), the
    ``models`` to train (None: every model of each task; else each task trains the codes of it
    that it knows, see :data:`TASK_MODELS`), and the lifetime value's ``months`` ahead and
    ``discount_rate`` per month."""

    horizon: int
    seed: int | None = None
    neural: tuple[tuple[str, Any], ...] = ()
    models: tuple[str, ...] | None = None
    months: int = 12
    discount_rate: float = 0.01

    @classmethod
    def make(cls, horizon: int, *, seed: int | None = None, models: list[str] | None = None, months: int = 12,
             discount_rate: float = 0.01, **neural: Any) -> AllSettings:
        """Settings from keyword arguments; raises InputError as :meth:`PredictSettings.make` does,
        and for a model list that leaves a task nothing to train or a bad months or discount rate."""
        base = PredictSettings.make(TASKS[0], horizon, seed=seed, **neural)  # checks the horizon and the network
        if int(months) < 1:
            raise InputError("The number of months must be at least 1 (got {n}).", n=months)
        if not 0 <= float(discount_rate) < 1:
            raise InputError("The monthly discount rate must be at least 0 and below 1 (got {rate}); write 0.01 "
                             "for 1 % a month.", rate=discount_rate)
        settings = cls(base.horizon, base.seed, base.neural, None if models is None else tuple(models), int(months),
                       float(discount_rate))
        for task in TASKS:
            settings.task_settings(task)
        return settings

    def task_settings(self, task: str) -> PredictSettings:
        """The single-task settings of ``task``: what training that task alone is given."""
        models = None
        if self.models is not None:
            models = [m for m in self.models if m in TASK_MODELS[task]]
            if not models:
                raise InputError("None of the models {models} predicts {task}; add one of {known}.",
                                 models=', '.join(self.models), task=Note(task), known=', '.join(TASK_MODELS[task]))
        neural = {k: v for k, v in self.neural if k in NEURAL_PARAMS}
        return PredictSettings.make(task, self.horizon, seed=self.seed, models=models, **neural)

    def clv_settings(self):
        """The CLV run's settings: every order up to the last one's day, valued over ``months``."""
        from ecom_analytics.predict.clv import ClvSettings

        return ClvSettings(months=self.months, discount_rate=self.discount_rate)


@dataclass
class AllRun(Run):
    """An all-at-once :class:`ecom_analytics.runs.Run`: ``runs`` the single-task run of each task,
    ``clv`` the lifetime-value run, ``result`` the combined table (:func:`combined_table`),
    ``leaderboard`` the three tasks' leaderboards stacked with a ``task`` column, ``summary``
    ``{"tasks": {task: that task's summary}, "clv": the CLV summary}`` (the ``predict`` command's
    ``--json`` without ``--task``; ``clv`` also holds ``test_window``: ``clv_check``'s evaluation, the
    same models fitted on the orders up to the day before the tasks' test cutoff and checked on
    the test window, with that ``calibration_end``), ``best_model`` None (each task has its own, see ``runs``),
    ``notes`` the lifetime value's cautions and, for a task (or the lifetime value) the data
    cannot support, a note that it was left out followed by the reason (``runs`` then lacks that
    task, ``clv`` is None and the summary's ``clv`` null)."""

    runs: dict[str, PredictRun] = field(default_factory=dict)
    clv: Run | None = None
    clv_check: Run | None = None
    seconds: float = 0.0


class SecondsLeft:
    """An estimate of the seconds left from the share of the work done: the time spent so far
    times (1 - share) / share, never more than 1.5 times the estimate given before it (so the
    number shown never grows by more than half between two readings). None until a share is
    known and some time has passed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start = clock()
        self._shown: float | None = None

    def __call__(self, share: float) -> float | None:
        spent = self._clock() - self._start
        if share <= 0 or spent <= 0:
            return self._shown
        raw = max(spent * (1 - min(share, 1.0)) / share, 0.0)
        self._shown = raw if self._shown is None else min(raw, 1.5 * self._shown)
        return self._shown


class _Steps:
    """The overall share from a step's own share: each step moves the bar within its part, and the
    bar never goes back."""

    def __init__(self, on_progress: Progress, steps: list[str]) -> None:
        self.on_progress, self.steps = on_progress, steps
        self.shown = 0.0
        self.step: str | Note = ""

    def report(self, step_name: str, share: float, message: str | Note) -> None:
        offset = sum(STEP_WEIGHTS[s] for s in self.steps[:self.steps.index(step_name)])
        total = sum(STEP_WEIGHTS[s] for s in self.steps)
        overall = min((offset + STEP_WEIGHTS[step_name] * min(max(share, 0.0), 1.0)) / total, 1.0)
        self.shown = max(self.shown, overall)
        inner = message if isinstance(message, Note) else Note(message)
        self.step = Note(STEP_NOTE, {"task": Note(STEP_NAMES[step_name]), "n": self.steps.index(step_name) + 1,
                                     "total": len(self.steps), "step": inner})
        self.on_progress(self.shown, self.step)

    def epoch(self, step_name: str, epochs: int) -> Callable[[int, dict], None]:
        """An ``on_epoch`` that moves the bar through the network's training (and its refit)."""
        def moved(epoch: int, logs: dict) -> None:
            lo, hi = _REFIT if logs.get("phase") == "refit" else _FIT
            budget = int(logs.get("epochs", epochs)) or 1
            share = lo + (hi - lo) * min(epoch / budget, 1.0)
            inner = self.step.params["step"] if isinstance(self.step, Note) and self.step.params else DONE_STEP
            self.report(step_name, share, inner)
        return moved


def combined_table(runs: dict[str, PredictRun], clv_customers: pd.DataFrame | None, *,
                   reasons: bool = True, lang: str = "en", currency: str = "") -> pd.DataFrame:
    """One row per customer any task scored or the CLV run valued (index ``customer_id``, sorted):
    ``p_purchase``, ``p_churn``, ``predicted_revenue`` (each task's best model, the column the
    task's own predictions give first), ``expected_purchases``, ``expected_spend``, ``clv``,
    ``probability_alive`` and, with ``reasons``, ``<task>_reason_1`` .. ``_3`` (the best model's
    three largest reasons, in ``lang``, amounts in ``currency``; empty where the task did not score
    the customer: what :meth:`PredictRun.reasons` gives). A customer
    outside a task's population (churn scores only recently active customers) is empty there."""
    scores, explained = {}, {}
    for task in TASKS:
        if task in runs:
            predictions = runs[task].result.predictions
            scores[task] = predictions[runs[task].best_model]
            if reasons:
                explained[task] = (runs[task].explanations.get("current", {}).get(predictions.columns[0]),
                                   runs[task].result.current, predictions.index)
    return _combine(scores, explained if reasons else None, clv_customers, lang, currency)


def _combine(scores: dict[str, pd.Series], explained: dict[str, tuple] | None, clv_customers: pd.DataFrame | None,
             lang: str, currency: str) -> pd.DataFrame:
    """The combined table from each task's best-model scores, each task's ``(explanation, features,
    customers)`` for the reasons (None: no reasons) and the CLV customers (see :func:`combined_table`)."""
    parts: list[pd.Series | pd.DataFrame] = [scores[task].rename(SCORE_COLUMNS[task]) for task in TASKS
                                             if task in scores]
    if clv_customers is not None:
        parts.append(clv_customers[list(CLV_COLUMNS)])
    table = pd.concat(parts, axis=1, sort=False) if parts else pd.DataFrame()
    table = table.sort_index()
    table.index.name = "customer_id"
    if explained is not None:
        from ecom_analytics.predict.explain import reason_columns

        for task in TASKS:
            if task in explained:
                found, current, customers = explained[task]
                words = reason_columns(found, current, customers, top=REASONS, lang=lang,
                                       currency=currency).add_prefix(f"{task}_")
                table = table.join(words)
                table[words.columns] = table[words.columns].fillna("")
    return table


def stored_together(workspace: Workspace, datasets: dict[str, str | None]) -> dict[str, dict]:
    """The stored runs an All scores table can be rebuilt from after the session that trained them
    ended (a reload, a shared link): the newest run of each task on exactly ``datasets`` (orders,
    events, customers) with the horizon and test cutoff of the newest of them, as ``{task: meta}``
    (each run's ``meta.json``: ``run_id``, ``horizon_days``, ``split``, ``best_model``, ...). Empty when
    no task has a stored run on these data."""
    from ecom_analytics.predict.registry import list_runs, read_meta

    runs = list_runs(workspace)
    if runs.empty:
        return {}
    want = {role: datasets.get(role) for role in ("orders", "events", "customers")}
    mine = runs[runs["datasets"].map(lambda d: all((d or {}).get(k) == v for k, v in want.items()))]
    mine = mine[mine["task"].isin(TASKS)].sort_values("created", ascending=False)
    found: dict[str, dict] = {}
    key = None
    for row in mine.itertuples():
        meta = read_meta(workspace, row.run_id)
        if meta is None:
            continue
        this = (meta["horizon_days"], meta.get("split", {}).get("test_cutoff"))
        key = key or this
        if this == key and row.task not in found:
            found[row.task] = meta
    return {task: found[task] for task in TASKS if task in found}


def stored_table(workspace: Workspace, metas: dict[str, dict], clv_customers: pd.DataFrame | None, *,
                 lang: str = "en", currency: str = "") -> pd.DataFrame:
    """The combined table of :func:`combined_table` from stored runs (``metas`` as
    :func:`stored_together` gives them): each run's saved best-model scores and saved SHAP values,
    worded in ``lang``; the same table the session's run gave, for the same runs and CLV customers."""
    from ecom_analytics.predict.registry import load_explanation, load_run

    scores, explained = {}, {}
    for task, meta in metas.items():
        stored = load_run(workspace, meta["run_id"])
        predictions = stored.predictions
        scores[task] = predictions[meta["best_model"]]
        found, current = load_explanation(workspace, meta["run_id"], str(predictions.columns[0]))
        explained[task] = (found, current, predictions.index)
    return _combine(scores, explained, clv_customers, lang, currency)


def _one_after_another(reasons: list[Note]) -> Note:
    """Several sentences as one note, each once, in order (English joins them with a space; each is
    worded in the analyst's language)."""
    unique: dict[str, Note] = {}
    for reason in reasons:
        unique.setdefault(reason.english(), reason)
    *before, joined = unique.values()
    for reason in reversed(before):
        joined = Note("{first} {rest}", {"first": reason, "rest": joined})
    return joined


def run_all(workspace: Workspace | None, datasets: dict[str, str | None] | Inputs, settings: AllSettings,
            on_progress: Progress = no_progress, *, save: bool = True, reasons: bool = True) -> AllRun:
    """Train the three tasks on ``datasets`` with ``settings`` (each as :func:`ecom_analytics.predict.run.run`
    would alone, saved in the workspace's registry when ``save`` and the inputs are stored datasets),
    value every customer (:func:`ecom_analytics.predict.clv.run`) and join the scores in one table.

    ``on_progress(share, step)`` gets the share of the whole run and the step as a note (which task,
    its number, and the task's own step). A task or the lifetime value the data cannot support is
    left out with a note saying why (see :class:`AllRun`); raises InputError with one sentence
    when there are no orders (every task and the lifetime value learn from them) or no task
    can be trained."""
    from ecom_analytics.predict import clv

    started = time.perf_counter()
    inputs, ids = given_inputs(workspace, datasets)
    if inputs.orders is None:
        raise InputError("Training every task at once needs orders (purchase, revenue and lifetime value learn from "
                         "them); with events only, train churn alone.")
    steps = _Steps(on_progress, [*TASKS, "clv"])
    epochs = int(dict(settings.neural).get("epochs", 100))
    runs: dict[str, PredictRun] = {}
    notes: list[Note] = []
    failed: list[Note] = []
    for task in TASKS:
        try:
            runs[task] = run_task(workspace, inputs, settings.task_settings(task),
                                  on_progress=lambda share, step, _task=task: steps.report(_task, share, step),
                                  on_epoch=steps.epoch(task, epochs), save=save)
        except InputError as exc:  # this task cannot learn from these data: the others still can
            failed.append(exc.note)
            notes.append(Note(SKIPPED_NOTE, {"task": Note(STEP_NAMES[task])}, "warning"))
            notes.append(Note(exc.note.code, exc.note.params, "warning"))
    if not runs:
        raise InputError("No task could be trained on these data: {reasons}", reasons=_one_after_another(failed))
    steps.report("clv", 0.0, CLV_STEP)
    valued = check = None
    try:
        valued = clv.run(workspace, inputs, settings.clv_settings())
        notes.extend(valued.notes)
    except InputError as exc:
        notes.append(Note(SKIPPED_NOTE, {"task": Note(STEP_NAMES["clv"])}, "warning"))
        notes.append(Note(exc.note.code, exc.note.params, "warning"))
    if valued is not None:
        # the same models fitted on the orders before the tasks' test window and checked on it
        steps.report("clv", 0.5, CHECK_STEP)
        cutoff = pd.Timestamp(next(iter(runs.values())).summary["cutoff"])
        try:
            check = clv.run(workspace, inputs, replace(settings.clv_settings(),
                                                       calibration_end=f"{cutoff - pd.Timedelta(days=1):%Y-%m-%d}"))
        except InputError as exc:
            notes.append(Note(CHECK_SKIPPED_NOTE, {}, "warning"))
            notes.append(Note(exc.note.code, exc.note.params, "warning"))
    cutoffs = sorted({r.summary["cutoff"] for r in runs.values()})
    if len(cutoffs) > 1:
        notes.append(Note(SPLIT_NOTE, {"cutoffs": ", ".join(cutoffs)}, "warning"))
    table = combined_table(runs, None if valued is None else valued.result.customers, reasons=reasons)
    board = pd.concat([r.leaderboard.assign(task=task) for task, r in runs.items()], ignore_index=True)
    board = board[["task", *[c for c in board.columns if c != "task"]]]
    summary = {"tasks": {task: r.summary for task, r in runs.items()},
               "clv": None if valued is None else dict(valued.summary)}
    if check is not None and "evaluation" in check.summary:
        summary["clv"]["test_window"] = {"calibration_end": check.summary["calibration_end"],
                                         **check.summary["evaluation"]}
    steps.report("clv", 1.0, DONE_STEP)
    return AllRun(capability="predict_all", datasets=ids, settings=settings, leaderboard=board, best_model=None,
                  notes=notes, summary=summary, result=table, runs=runs, clv=valued, clv_check=check,
                  seconds=time.perf_counter() - started)


def table_totals(table: pd.DataFrame) -> dict[str, float]:
    """The figures the All scores view shows above the table: ``customers`` (rows), ``buyers`` and
    ``churners`` expected in the horizon (sums of ``p_purchase`` and ``p_churn``), ``revenue``
    (sum of ``predicted_revenue``), ``spend`` and ``clv`` (sums of ``expected_spend`` and ``clv``
    over the months valued). A missing score counts as nothing."""
    def total(column: str) -> float:
        return float(table[column].sum()) if column in table.columns else 0.0

    return {"customers": int(len(table)), "buyers": total("p_purchase"), "churners": total("p_churn"),
            "revenue": total("predicted_revenue"), "spend": total("expected_spend"), "clv": total("clv")}
