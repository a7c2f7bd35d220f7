"""How long the SHAP values of every customer model take, and how exactly they add up, on the sample.

    nice python benchmarks/explain_speed.py [--task purchase] [--horizon 30] [--events] [--peer-python PY]

Trains the task's models on the packaged Online Retail sample (with the synthetic events sample when
``--events``) exactly as ``python -m ecom_analytics predict`` does, then prints, per model, the
customers explained (the test window's; the customers at the end of the data for the models that
scored them), the seconds and the largest gap between base + contributions and the model's score
(absolute, and relative to the score when it is above 1: revenue models predict in float32).

``--peer-python`` names a Python with the ``shap`` package (a scratch venv: it is no dependency of
this project): the gradient-boosting model of the test window is written to a temporary folder
(pickle, for this comparison only) and shap's TreeExplainer (path-dependent) explains the same
matrix; the largest difference to ours on the log-odds scale is printed.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def peer(model_path: str, matrix_path: str, out_path: str) -> None:
    import shap

    with open(model_path, "rb") as handle:
        model = pickle.load(handle)  # written by this script a moment ago
    x = np.load(matrix_path)
    explainer = shap.TreeExplainer(model, feature_perturbation="tree_path_dependent")
    started = time.perf_counter()
    values = explainer.shap_values(x)
    np.save(out_path, np.column_stack([np.asarray(values), np.full(len(x), float(np.ravel(explainer.expected_value)[0]))]))
    print(f"shap {shap.__version__}: {time.perf_counter() - started:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="purchase", choices=["purchase", "churn", "revenue"])
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--events", action="store_true")
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--peer", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer(*args.peer)
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ecom_analytics.ingest.inputs import read_inputs
    from ecom_analytics.predict import explain
    from ecom_analytics.predict.run import PredictSettings, run
    from ecom_analytics.sample import sample_file

    sources = {"orders": str(sample_file("online_retail_sample.csv.gz"))}
    if args.events:
        sources["events"] = str(sample_file("events_sample.csv.gz"))
    inputs = read_inputs(sources)
    started = time.perf_counter()
    result = run(None, inputs, PredictSettings.make(args.task, args.horizon), save=False)
    print(f"{args.task}, horizon {args.horizon} days, {'orders + events' if args.events else 'orders'} of the sample: "
          f"trained, scored and explained in {time.perf_counter() - started:.0f} s")
    task_run = result.result
    for part, frame in (("test", task_run.test), ("current", task_run.current)):
        for name, found in result.explanations[part].items():
            model = (task_run.models if part == "test" else task_run.final_models)[name]
            x = frame.drop(columns=[c for c in ("label",) if c in frame.columns])
            if name == "bgnbd" and args.task == "revenue":
                aov = (task_run.models if part == "test" else task_run.final_models).get("bgnbd_aov", 0.0)
                score = model.expected_purchases(x) * x["revenue_mean"].fillna(aov).to_numpy()
            elif args.task == "revenue":
                score = model.predict(x)
            else:
                score = model.predict_proba(x)
            gap = np.abs(found.output - score)
            relative = float(np.max(gap / np.maximum(np.abs(score), 1.0)))
            seconds = result.explanations["seconds"][part][name]
            print(f"  {part:<8} {name:<9} {len(found.index):>6,} customers {seconds:7.2f} s   {found.method:<42} "
                  f"largest gap to the score {float(np.max(gap)):.1e} (relative {relative:.1e})")
    if args.peer_python and "gboost" in task_run.models:
        model = task_run.models["gboost"]
        x = model.prep_.transform(task_run.test.drop(columns="label")).astype(float)
        ours, base = explain.hist_gradient_boosting_shap(model.model_, x)
        with tempfile.TemporaryDirectory() as tmp:
            paths = [str(Path(tmp) / name) for name in ("model.pkl", "x.npy", "peer.npy")]
            with open(paths[0], "wb") as handle:
                pickle.dump(model.model_, handle)
            np.save(paths[1], x)
            done = subprocess.run([args.peer_python, __file__, "--peer", *paths], capture_output=True, text=True)
            if done.returncode:
                sys.stderr.write(done.stdout + done.stderr)
                raise SystemExit(f"the peer failed (exit {done.returncode})")
            theirs = np.load(paths[2])
        print(f"  shap TreeExplainer on the same {len(x):,} test customers: {done.stdout.strip()}; largest difference "
              f"{np.max(np.abs(theirs[:, :-1] - ours)):.1e} (values), {abs(theirs[0, -1] - base):.1e} (base), log-odds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
