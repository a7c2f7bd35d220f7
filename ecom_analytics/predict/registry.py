"""Model registry: trained runs saved in the workspace and reloaded without retraining.

A run is stored under ``$ECOM_ANALYTICS_HOME/models/<run_id>/``:

- ``meta.json``: dataset ids, task, horizon, split, features, leaderboard, warnings, created;
- ``test.parquet``: the test window's features, labels and every model's test scores;
- ``predictions.parquet``: every customer's scores at the end of the data;
- ``history.json``: the neural model's loss curves;
- ``curves_<kind>.parquet``: the evaluation curves and tables of every model on the test window (ROC,
  precision-recall, gain, calibration, top shares, slices, confusion at the default threshold),
  computed once when the run is made (:func:`ecom_analytics.predict.run.evaluation_curves`);
- ``explain_importance.parquet``: every model's global summary of its SHAP values on the test window
  (mean absolute and mean contribution per feature), ``explain_<model>.parquet``: the SHAP values of
  each customer scored at the end of the data by the models of ``predictions.parquet``, and
  ``current.parquet`` those customers' features (the words of their reasons); see
  :mod:`ecom_analytics.predict.explain`, computed once when the run is made;
- ``neural.keras`` + ``preprocessor.json``: the final neural model (refit on every labelled
  cutoff), loaded with Keras' ``safe_mode=True`` (no Lambda layers, no arbitrary code) and a
  JSON preprocessor (no pickle), so a file in the workspace can never run code.

Run ids are 16 hex digits derived from the datasets and the settings.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ecom_analytics.errors import NotFoundError
from ecom_analytics.predict.modeling import Preprocessor, dumps
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace, check_id, is_valid_id


def run_id_for(dataset_ids: dict[str, str | None], task: str, horizon_days: int, params: dict) -> str:
    """16 hex digits from the datasets and the training settings."""
    key = json.dumps({"datasets": dataset_ids, "task": task, "horizon": horizon_days, "params": params},
                     sort_keys=True, default=str)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class StoredRun:
    """A run read back from the workspace (everything the pages show, no model objects)."""

    run_id: str
    meta: dict
    test: pd.DataFrame
    predictions: pd.DataFrame
    history: list[dict]

    @property
    def leaderboard(self) -> pd.DataFrame:
        return pd.DataFrame(self.meta["leaderboard"])

    @property
    def notes(self) -> list[Note]:
        """The run's notes (runs saved before notes were coded give their English warnings as codes)."""
        if "notes" in self.meta:
            return [Note(n["code"], n.get("params") or {}, n.get("severity", "info")) for n in self.meta["notes"]]
        return [Note(w, {}, "warning") for w in self.meta.get("warnings", [])]

    def test_scores(self) -> dict[str, np.ndarray]:
        return {c[len("score_"):]: self.test[c].to_numpy() for c in self.test.columns if c.startswith("score_")}


def _dir(workspace: Workspace, run_id: str) -> Path:
    return workspace.home / "models" / check_id(run_id)


def save_run(workspace: Workspace, run, *, run_id: str, dataset_ids: dict[str, str | None], params: dict,
             curves: dict[str, pd.DataFrame] | None = None, explanations: dict | None = None) -> str:
    """Write a :class:`ecom_analytics.predict.training.TaskRun` (and its evaluation ``curves``, one
    frame per kind, and its ``explanations``, :func:`ecom_analytics.predict.explain.explain_run`) to
    the workspace; returns its id."""
    final = _dir(workspace, run_id)
    # written aside, then published by one rename, so a page listing or opening runs meanwhile
    # never meets half a run (see ecom_analytics/store.py)
    folder = workspace.new_folder(final.parent, run_id)
    try:
        _write_run(folder, run, run_id=run_id, dataset_ids=dataset_ids, params=params)
        if curves is not None:
            _write_curves(folder, curves)
        if explanations is not None:
            _write_explanations(folder, run, explanations)
        workspace.publish_folder(folder, final)
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
    return run_id


def _write_run(folder: Path, run, *, run_id: str, dataset_ids: dict[str, str | None], params: dict) -> None:
    test = run.test.copy()
    for name, scores in run.test_scores.items():
        test[f"score_{name}"] = scores
    test.reset_index().to_parquet(folder / "test.parquet", index=False)
    run.predictions.reset_index().to_parquet(folder / "predictions.parquet", index=False)
    (folder / "history.json").write_text(dumps(run.history))
    features = [c for c in run.test.columns if c not in ("label", "cutoff")]
    meta = {
        "run_id": run_id, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "datasets": dataset_ids, "task": run.task, "horizon_days": run.horizon_days, "params": params,
        "split": run.split.describe(), "features": features, "best_model": run.best_model,
        "leaderboard": run.leaderboard.to_dict("records"), "warnings": run.warnings, "seconds": run.seconds,
        "has_neural": run.final_neural is not None,
        "notes": [{"code": n.code, "params": dict(n.params), "severity": n.severity} for n in getattr(run, "notes", [])],
    }
    if run.final_neural is not None:
        run.final_neural.model_.save(folder / "neural.keras")
        (folder / "preprocessor.json").write_text(json.dumps(run.final_neural.prep_.to_dict()))
        meta["neural_params"] = run.final_neural.get_params()
        meta["neural_max_target"] = getattr(run.final_neural, "max_target_", None)
    (folder / "meta.json").write_text(dumps(meta))


def _write_curves(folder: Path, curves: dict[str, pd.DataFrame]) -> None:
    # flat files (not a sub-folder): a run stored again replaces its files one by one (store.publish_folder)
    for kind, frame in curves.items():
        frame.to_parquet(folder / f"curves_{kind}.parquet", index=False)


def _write_explanations(folder: Path, run, explanations: dict) -> None:
    from ecom_analytics.predict.explain import importance_table

    importance_table(explanations.get("test", {}), run.test).to_parquet(folder / "explain_importance.parquet",
                                                                         index=False)
    for name, found in explanations.get("current", {}).items():
        found.frame().reset_index().to_parquet(folder / f"explain_{name}.parquet", index=False)
    if explanations.get("current") and getattr(run, "current", None) is not None:
        current = run.current.drop(columns=[c for c in ("label", "cutoff") if c in run.current.columns])
        current.reset_index().to_parquet(folder / "current.parquet", index=False)


def load_importance(workspace: Workspace, run_id: object) -> pd.DataFrame | None:
    """The global SHAP summaries saved with a run (model, feature, mean_abs, mean, base, method);
    None for a run saved before explanations were kept."""
    path = _dir(workspace, check_id(run_id)) / "explain_importance.parquet"
    return pd.read_parquet(path) if path.exists() else None


def load_explanation(workspace: Workspace, run_id: object, model: str):
    """The SHAP values of the customers a run's ``model`` scored at the end of the data, as an
    :class:`ecom_analytics.predict.explain.Explanation`, with those customers' features
    ``(explanation, features)``; ``(None, None)`` when the run has none for that model."""
    from ecom_analytics.predict.explain import from_frame

    folder = _dir(workspace, check_id(run_id))
    path = folder / f"explain_{model}.parquet"
    if not model.isidentifier() or not path.exists() or not (folder / "current.parquet").exists():
        return None, None
    meta = json.loads((folder / "meta.json").read_text())
    found = from_frame(pd.read_parquet(path).set_index("customer_id"), model, meta["task"])
    return found, pd.read_parquet(folder / "current.parquet").set_index("customer_id")


def load_curves(workspace: Workspace, run_id: object) -> dict[str, pd.DataFrame] | None:
    """The evaluation curves saved with a run, one frame per kind; None for a run saved before
    curves were kept (its curves are then computed from its test window)."""
    paths = sorted(_dir(workspace, check_id(run_id)).glob("curves_*.parquet"))
    if not paths:
        return None
    return {path.stem[len("curves_"):]: pd.read_parquet(path) for path in paths}


def read_meta(workspace: Workspace, run_id: object) -> dict | None:
    """A stored run's ``meta.json`` alone (None when the id is malformed or the run is gone)."""
    if not is_valid_id(run_id):
        return None
    try:
        return json.loads((_dir(workspace, run_id) / "meta.json").read_text())  # type: ignore[arg-type]
    except FileNotFoundError:
        return None


def load_run(workspace: Workspace, run_id: object) -> StoredRun:
    """Read a stored run (raises NotFoundError for unknown or malformed ids)."""
    if not is_valid_id(run_id):
        raise NotFoundError("No trained model has that id. Train one on the Model page.")
    folder = _dir(workspace, run_id)  # type: ignore[arg-type]
    if not (folder / "meta.json").exists():
        raise NotFoundError("That trained model is not in this workspace (it may have been deleted). "
                            "Train it again on the Model page.")
    meta = json.loads((folder / "meta.json").read_text())
    test = pd.read_parquet(folder / "test.parquet").set_index("customer_id")
    predictions = pd.read_parquet(folder / "predictions.parquet").set_index("customer_id")
    history = json.loads((folder / "history.json").read_text())
    return StoredRun(str(run_id), meta, test, predictions, history)


def list_runs(workspace: Workspace) -> pd.DataFrame:
    """One row per stored run: id, task, horizon, created, best model and its key metric."""
    rows = []
    root = workspace.home / "models"
    for meta_path in sorted(root.glob("*/meta.json")) if root.exists() else []:
        if not is_valid_id(meta_path.parent.name):  # a run being written or deleted
            continue
        try:
            meta = json.loads(meta_path.read_text())
        except FileNotFoundError:  # deleted since the listing
            continue
        board = meta["leaderboard"]
        key = "mae" if meta["task"] == "revenue" else "roc_auc"
        rows.append({"run_id": meta["run_id"], "task": meta["task"], "horizon_days": meta["horizon_days"],
                     "created": meta["created"], "best_model": meta["best_model"],
                     key: board[0].get(key) if board else None, "datasets": meta["datasets"]})
    return pd.DataFrame(rows)


def delete_run(workspace: Workspace, run_id: object) -> None:
    """Remove a stored run."""
    workspace.remove_folder(_dir(workspace, check_id(run_id)))


def load_neural(workspace: Workspace, run_id: object):
    """The final neural model of a run as a fitted :class:`ecom_analytics.predict.neural.NeuralModel`."""
    import keras

    from ecom_analytics.predict.neural import NeuralModel

    stored = load_run(workspace, run_id)
    if not stored.meta.get("has_neural"):
        raise NotFoundError("This run has no neural model.")
    folder = _dir(workspace, stored.run_id)
    params = stored.meta["neural_params"]
    params["hidden"] = tuple(params["hidden"])
    model = NeuralModel(**params)
    model.model_ = keras.saving.load_model(folder / "neural.keras", safe_mode=True, compile=False)
    model.prep_ = Preprocessor.from_dict(json.loads((folder / "preprocessor.json").read_text()))
    model.max_target_ = stored.meta.get("neural_max_target") or 0.0
    return model


def score_new_data(workspace: Workspace, run_id: object, orders: pd.DataFrame | None, *,
                   events: pd.DataFrame | None = None, returns: pd.DataFrame | None = None) -> pd.Series:
    """Score customers of other data (same kind of export) with a run's final neural model.

    Features are built at the day after the new data's last timestamp; features the model
    knows but the new data lacks (e.g. no events file) are treated as missing and imputed as
    in training. Returns the score per customer_id (probability, or revenue for the revenue task).
    """
    from ecom_analytics.ingest.inputs import day_after_last
    from ecom_analytics.insights.features import build_customer_features

    model = load_neural(workspace, run_id)
    ends = [e for e in (day_after_last(orders), day_after_last(events)) if e is not None]
    if not ends:
        raise NotFoundError("The data to score has no rows.")
    end = max(ends)
    feats = build_customer_features(orders, end, events=events, returns=returns)
    if orders is not None and model.task != "churn":
        feats = feats[feats["orders"] > 0]
    needed = model.prep_.numeric_ + model.prep_.categorical_
    frame = feats.reindex(columns=needed)
    for col in model.prep_.numeric_:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    scores = model.predict(frame) if model.task == "revenue" else model.predict_proba(frame)
    return pd.Series(scores, index=feats.index, name=model.task)
