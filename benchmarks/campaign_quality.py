"""Campaign analysis quality (effects on simulated campaigns, uplift models against scikit-uplift)
and the speed of the whole analysis on the sample campaign.

    python benchmarks/campaign_quality.py [--seeds 200] [--customers 4000]
    python benchmarks/campaign_quality.py --skip-coverage --sim-seeds 3 \\
        [--hillstrom PATH] [--peer-python /tmp/upliftvenv/bin/python]

Prints:
(1) coverage of the 95 % interval of the e-mail's effect on conversion over ``--seeds`` simulated
    campaigns (nominal 95 %), the mean interval width, and how often CUPED narrows it;
(2) on the sample file (the sample campaign, 6,000 customers, two arms, regenerated with its seed):
    each uplift model's held-out Qini AUC and uplift in the top 30 %, its cross-validated Qini on
    the 70 % (what chooses the model), the correlation of its scores with the simulator's true
    uplift, the ROC AUC for the true persuadables, and the seconds (wall and CPU) of the whole
    analysis with the page's default models;
(3) with ``--sim-seeds N``: the same per model on N simulated campaigns (seeds 101..100+N) of the
    sample's design (``--sim-design sample``: 6,000 customers, two arms) or a Hillstrom-like one
    (``--sim-design hillstrom``: 64,000 customers, two e-mail arms and a control, small effects);
(5) with ``--page-speed``: how soon the sample campaign appears and how fast the Campaigns page
    redraws after a click (issue #21). The seconds of the effects and checks alone (what the page
    draws first since the run layer) and of the whole analysis with the page's default models, in
    this process; then the page in Streamlit's AppTest: the first complete draw (every model
    fitted), and the median and maximum of ``--clicks`` redraws after a change of the cost per
    contact (nothing to refit). Run the same file in an older checkout for the figures before.
(4) with ``--hillstrom PATH`` (the MineThatData e-mail campaign CSV, 64,000 customers; not in this
    repository): per arm against "No E-Mail", outcome ``visit``, 70/30 split stratified by arm and
    outcome (seed 0), our models' held-out Qini AUC.

With ``--peer-python`` (a separate environment with scikit-uplift, never a dependency of the
product: ``python3.11 -m venv /tmp/upliftvenv && /tmp/upliftvenv/bin/pip install scikit-uplift``)
every part (2)-(4) also fits scikit-uplift's models (SoloModel, SoloModel with treatment
interaction, TwoModels vanilla / ddr_control / ddr_treatment, ClassTransformation) on the same
model matrix and the same 70/30 split, with gradient boosting bases (our outcome-model settings,
those of issue #20's first learners, the T-learner's settings before issue #20, and scikit-learn's
defaults), chooses among the six by the same 3-fold cross-validation of the 70 % on each of the first
two bases, and scores them with
scikit-uplift's own ``qini_auc_score``; our ``qini_auc_score`` on the same scores is printed
beside it (they must agree).

This file also runs inside that environment as the peer (``--peer IN.npz OUT.json``); that mode
imports numpy, scikit-learn and scikit-uplift only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

# the gradient-boosting settings of the T-learner before the learners of issue #20 (the issue's figures)
PREVIOUS_PARAMS = dict(max_iter=150, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0)
# our outcome-model settings of issue #20's first learners (the README's peer figures of then), kept as a
# peer base so that the comparison with scikit-uplift chosen by cross-validation is made on both bases
ISSUE20_PARAMS = dict(max_iter=30, learning_rate=0.15, max_leaf_nodes=6, min_samples_leaf=40, l2_regularization=1.0)
CHOSEN_BASES = ("ours", "issue20")  # the peer bases scored by cross-validation on the 70 %
PEER_MODELS = ("solo", "solo_interaction", "two_vanilla", "two_ddr_control", "two_ddr_treatment",
               "class_transformation")


# ----------------------------------------------------------------------------- peer (scikit-uplift) side

def run_peer(npz_path: str, out_path: str) -> None:
    """Fit scikit-uplift's models on every task of ``npz_path``; write their test scores and
    ``qini_auc_score`` to ``out_path`` (JSON)."""
    import warnings

    from sklearn.base import clone
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.model_selection import StratifiedKFold
    from sklift.metrics import qini_auc_score
    from sklift.models import ClassTransformation, SoloModel, TwoModels

    warnings.filterwarnings("ignore")
    data = np.load(npz_path)
    tasks = json.loads(str(data["tasks"]))
    bases = {"ours": json.loads(str(data["outcome_params"])), "issue20": ISSUE20_PARAMS, "previous": PREVIOUS_PARAMS,
             "sklearn_default": {}}
    out = {}
    for task in tasks:
        x, y, t, test = (data[f"{task}__{k}"] for k in ("x", "y", "t", "test"))
        binary = bool(np.isin(np.unique(y), [0, 1]).all())
        kind = HistGradientBoostingClassifier if binary else HistGradientBoostingRegressor
        results = {}
        for base_name, params in bases.items():
            def base(params=params, kind=kind):
                return kind(**params, random_state=0)

            models = {"solo": SoloModel(base()), "solo_interaction": SoloModel(base(), method="treatment_interaction"),
                      "two_vanilla": TwoModels(base(), base(), method="vanilla"),
                      "two_ddr_control": TwoModels(base(), base(), method="ddr_control"),
                      "two_ddr_treatment": TwoModels(base(), base(), method="ddr_treatment")}
            if binary:
                models["class_transformation"] = ClassTransformation(base())
            for name, model in models.items():
                cv = []
                if base_name in CHOSEN_BASES:  # the same folds of the 70 % as ours choose by
                    xs, ys, ts = x[~test], y[~test], t[~test]
                    strata = ts * 2 + (ys > 0)
                    for fit_rows, score_rows in StratifiedKFold(3, shuffle=True, random_state=0).split(xs, strata):
                        fold = clone(model).fit(xs[fit_rows], ys[fit_rows], ts[fit_rows])
                        cv.append(float(qini_auc_score(ys[score_rows], fold.predict(xs[score_rows]), ts[score_rows])))
                model.fit(x[~test], y[~test], t[~test])
                scores = np.asarray(model.predict(x[test]), float)
                results[f"{name}/{base_name}"] = {"qini_auc": float(qini_auc_score(y[test], scores, t[test])),
                                                  "cv_qini": float(np.mean(cv)) if cv else None,
                                                  "scores": scores.tolist()}
        out[task] = results
    Path(out_path).write_text(json.dumps(out))


# ----------------------------------------------------------------------------- our side

def coverage(seeds: int, customers: int) -> None:
    from ecom_analytics.campaign import arm_effects, simulate_campaign, true_effect

    hits, widths, narrower = 0, [], 0
    for seed in range(seeds):
        sim = simulate_campaign(customers, seed=seed)
        res = arm_effects(sim, "converted", "No E-Mail").iloc[0]
        cuped = arm_effects(sim, "converted", "No E-Mail", covariate="prior_revenue").iloc[0]
        truth = true_effect(sim)
        hits += res["ci_low"] <= truth <= res["ci_high"]
        widths.append(res["ci_high"] - res["ci_low"])
        narrower += (cuped["ci_high"] - cuped["ci_low"]) < widths[-1]
    print(f"95 % CI coverage of the true effect: {hits / seeds:.1%} over {seeds} campaigns of {customers:,} "
          f"customers; mean width {np.mean(widths) * 100:.2f} points; CUPED narrower in {narrower / seeds:.0%}")


def _tasks_of(table, outcome: str, control: str, arms: list[str], features: list[str], name: str) -> dict:
    """The model matrix, outcome, arm and test mask of each arm vs control, exactly as
    ``fit_uplift`` splits them (same rows, same seed-0 stratified 70/30 split)."""
    import pandas as pd

    from ecom_analytics.campaign.uplift import _with_outcome, split_train_test
    from ecom_analytics.predict.modeling import Preprocessor

    tasks = {}
    for arm in arms:
        part, _ = _with_outcome(table[table["arm"].isin([control, arm])], outcome, "")
        y = part[outcome].to_numpy(float)
        t = (part["arm"] == arm).to_numpy(int)
        binary = bool(np.isin(np.unique(y), [0, 1]).all())
        strata = pd.Series(t).astype(str) + "_" + (pd.Series(y).astype(str) if binary else pd.Series(y > 0).astype(str))
        test = split_train_test(strata, 0.3, 0)
        prep = Preprocessor().fit(part.loc[~test, features])
        tasks[f"{name}:{arm}"] = {"x": prep.transform(part[features]), "y": y, "t": t, "test": test}
    return tasks


def run_peers(peer_python: str | None, tasks: dict) -> dict:
    """scikit-uplift's results per task (empty without ``peer_python``)."""
    if not peer_python:
        return {}
    from ecom_analytics.campaign.learners import OUTCOME_PARAMS

    with tempfile.TemporaryDirectory() as tmp:
        arrays = {f"{task}__{k}": v for task, d in tasks.items() for k, v in d.items()}
        np.savez(Path(tmp) / "in.npz", tasks=json.dumps(list(tasks)), outcome_params=json.dumps(OUTCOME_PARAMS),
                 **arrays)
        subprocess.run([peer_python, __file__, "--peer", str(Path(tmp) / "in.npz"), str(Path(tmp) / "out.json")],
                       check=True)
        return json.loads((Path(tmp) / "out.json").read_text())


def report(title: str, results: dict, tasks: dict, peers: dict, truth: dict | None = None) -> None:
    """One table per arm: our models (held-out and cross-validated Qini, chosen one marked) and the
    peers; with ``truth``, the correlation of each model's scores with the true uplift on the
    held-out rows."""
    from ecom_analytics.campaign.uplift import qini_auc_score

    for task, res in results.items():
        d = tasks[task]
        test = d["test"]
        print(f"\n{title} {task.split(':', 1)[1]}  (held-out 30 %, n = {int(test.sum()):,})")
        print(f"  {'model':<40} {'Qini AUC':>9} {'CV Qini':>8} {'corr true':>9}")

        def corr(scores, task=task, test=test) -> str:
            return f"{np.corrcoef(scores, truth[task][test])[0, 1]:9.3f}" if truth is not None else ""

        for m in res.metrics.itertuples():
            mark = "  <- chosen" if m.model == res.best_model else ""
            print(f"  ours {m.model:<35} {m.qini_auc:9.4f} {m.cv_qini:8.4f} "
                  f"{corr(res.scores[m.model].to_numpy()[test]):>9}{mark}")
        best_peer, chosen_peer = None, {}
        for name, peer in sorted(peers.get(task, {}).items()):
            ours = qini_auc_score(d["y"][test], np.asarray(peer["scores"]), d["t"][test])
            cv = f"{peer['cv_qini']:8.4f}" if peer.get("cv_qini") is not None else f"{'':8}"
            print(f"  sklift {name:<33} {peer['qini_auc']:9.4f} {cv} {corr(np.asarray(peer['scores'])):>9}"
                  f"   (our qini_auc_score: {ours:.4f})")
            best_peer = max(best_peer if best_peer is not None else -1.0, peer["qini_auc"])
            base = name.split("/", 1)[1]
            if peer.get("cv_qini") is not None and (base not in chosen_peer or peer["cv_qini"] > chosen_peer[base][1]):
                chosen_peer[base] = (name, peer["cv_qini"], peer["qini_auc"])
        if best_peer is not None:
            chosen = float(res.metrics.set_index("model").loc[res.best_model, "qini_auc"])
            best_ours = float(res.metrics["qini_auc"].max())
            print(f"  ours chosen {chosen:.4f} vs best sklift on the test part {best_peer:.4f}: "
                  f"{'met' if chosen >= best_peer else 'NOT met'}  (best of ours {best_ours:.4f})")
            for base in CHOSEN_BASES:
                if base in chosen_peer:
                    name, _, qini = chosen_peer[base]
                    print(f"  ours chosen {chosen:.4f} vs sklift chosen by the same 3-fold CV among the {base} base "
                          f"({name}) {qini:.4f}: {'met' if chosen >= qini else 'NOT met'}")


def sample_quality(peer_python: str | None) -> None:
    from sklearn.metrics import roc_auc_score

    from ecom_analytics.campaign import analyse_campaign, prepare_campaign
    from ecom_analytics.campaign.simulate import write_sample
    from ecom_analytics.campaign.uplift import MODEL_LABELS

    with tempfile.TemporaryDirectory() as tmp:
        full = write_sample(Path(tmp) / "c.csv.gz")  # the same seed and size as the shipped sample
    data = prepare_campaign(full.filter(regex="^(?!true_)"))
    wall, cpu = time.perf_counter(), time.process_time()
    result = analyse_campaign(data, "converted", uplift_models=tuple(MODEL_LABELS))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    truth = full.set_index("customer_id")
    features = [c for c in data.attributes if c != "converted"] + [c for c in data.categorical if c != "converted"]
    tasks = _tasks_of(data.table, "converted", data.control, list(result.uplift), features, "sample")
    peers = run_peers(peer_python, tasks)
    multiplier = {"E-Mail": 1.0, "Coupon": 1.5}
    true_uplift = {}
    for arm, res in result.uplift.items():
        rows = truth.loc[res.scores["customer_id"]]
        true_uplift[f"sample:{arm}"] = (np.clip(rows["true_p0"] + rows["true_tau"] * multiplier[arm], 0, 1)
                                        - rows["true_p0"]).to_numpy()
    report("Sample campaign, arm", {f"sample:{a}": r for a, r in result.uplift.items()}, tasks, peers, true_uplift)
    for arm, res in result.uplift.items():
        persuadable = (truth.loc[res.scores["customer_id"], "true_group"] == "persuadable").to_numpy()
        aucs = ", ".join(f"{m} {roc_auc_score(persuadable, res.scores[m]):.3f}" for m in res.metrics["model"])
        print(f"  {arm}: ROC AUC of the scores for the true persuadables: {aucs}")
    print(f"\nwhole analysis of the sample (effects, checks, {len(MODEL_LABELS)} uplift models x 2 arms): "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU")


def page_speed(clicks: int) -> None:
    """Seconds to the effects, to the whole analysis, and of the page's first draw and redraws (see (5))."""
    import os
    import statistics

    from ecom_analytics.campaign import analyse_campaign, prepare_campaign, read_campaign_file, sample_path
    from ecom_analytics.campaign.uplift import MODEL_LABELS

    frame = read_campaign_file(sample_path())
    for label, models in (("effects and checks (no uplift model)", ()),
                          (f"whole analysis ({len(MODEL_LABELS)} uplift models x 2 arms)", tuple(MODEL_LABELS))):
        wall, cpu = time.perf_counter(), time.process_time()
        analyse_campaign(prepare_campaign(frame), "converted", uplift_models=models)
        print(f"{label}: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as home:
        os.environ["ECOM_ANALYTICS_HOME"] = home
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
        at.run()
        wall = time.perf_counter()
        at.switch_page("pages/campaigns.py").run()
        first = time.perf_counter() - wall
        assert not at.exception, [e.value for e in at.exception]
        redraws = []
        for i in range(clicks):
            wall = time.perf_counter()
            at.number_input(key="cp_cost").set_value(0.2 + 0.05 * i).run()
            redraws.append(time.perf_counter() - wall)
        assert not at.exception, [e.value for e in at.exception]
    print(f"Campaigns page, sample campaign, default models: first complete draw {first:.1f} s; redraw after a "
          f"change of the cost per contact: median {statistics.median(redraws):.2f} s, max {max(redraws):.2f} s "
          f"({clicks} clicks)")


DESIGNS = {  # arm -> multiplier of the true effect, treated share, persuadable lift, put-off drop, customers
    "sample": ({"E-Mail": 1.0, "Coupon": 1.5}, 2 / 3, 0.12, 0.06, 6_000),
    # shaped like the MineThatData e-mail test: two e-mail arms and a control in thirds, small effects
    "hillstrom": ({"Mens E-Mail": 1.0, "Womens E-Mail": 0.6}, 2 / 3, 0.03, 0.01, 64_000),
}


def simulated_quality(seeds: int, design: str, peer_python: str | None) -> None:
    from ecom_analytics.campaign import prepare_campaign, simulate_campaign
    from ecom_analytics.campaign.uplift import CROSS_VALIDATED, fit_uplift

    arms, share, lift, drop, customers = DESIGNS[design]
    for seed in range(101, 101 + seeds):
        full = simulate_campaign(customers, arm_effects=arms, treated_share=share, persuadable_lift=lift,
                                 put_off_drop=drop, seed=seed)
        data = prepare_campaign(full.filter(regex="^(?!true_)"))
        features = [c for c in data.attributes if c != "converted"] + list(data.categorical)
        results, truth = {}, {}
        frame = full.set_index("customer_id")
        for arm, mult in arms.items():
            res = fit_uplift(data.table, "converted", data.control, arm, features, models=CROSS_VALIDATED)
            results[f"sim{seed}:{arm}"] = res
            rows = frame.loc[res.scores["customer_id"]]
            truth[f"sim{seed}:{arm}"] = (np.clip(rows["true_p0"] + rows["true_tau"] * mult, 0, 1)
                                         - rows["true_p0"]).to_numpy()
        tasks = _tasks_of(data.table, "converted", data.control, list(arms), features, f"sim{seed}")
        report(f"Simulated campaign ({design} design, {customers:,} customers, conversion, seed {seed}), arm",
               results, tasks, run_peers(peer_python, tasks), truth)


def hillstrom_quality(path: str, peer_python: str | None) -> None:
    import pandas as pd

    from ecom_analytics.campaign import prepare_campaign
    from ecom_analytics.campaign.uplift import CROSS_VALIDATED, fit_uplift

    data = prepare_campaign(pd.read_csv(path))
    outcome = "visit"
    features = [c for c in data.attributes if c != outcome] + [c for c in data.categorical if c != outcome]
    results = {}
    for arm in data.arms:
        start = time.perf_counter()
        results[f"hillstrom:{arm}"] = fit_uplift(data.table, outcome, data.control, arm, features,
                                                 models=CROSS_VALIDATED)
        print(f"Hillstrom {arm}: our models in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    tasks = _tasks_of(data.table, outcome, data.control, list(data.arms), features, "hillstrom")
    report("Hillstrom MineThatData (64,000 customers, outcome visit), arm", results, tasks,
           run_peers(peer_python, tasks))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--customers", type=int, default=4000)
    parser.add_argument("--skip-coverage", action="store_true")
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--sim-seeds", type=int, default=0)
    parser.add_argument("--sim-design", choices=sorted(DESIGNS), default="sample")
    parser.add_argument("--hillstrom", default=None)
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--peer", nargs=2, metavar=("IN", "OUT"))
    parser.add_argument("--page-speed", action="store_true")
    parser.add_argument("--clicks", type=int, default=5)
    args = parser.parse_args()
    if args.peer:
        run_peer(*args.peer)
        sys.exit(0)
    sys.path.insert(0, str(ROOT))
    if not args.skip_coverage:
        coverage(args.seeds, args.customers)
    if not args.skip_sample:
        sample_quality(args.peer_python)
    if args.sim_seeds:
        simulated_quality(args.sim_seeds, args.sim_design, args.peer_python)
    if args.hillstrom:
        hillstrom_quality(args.hillstrom, args.peer_python)
    if args.page_speed:
        page_speed(args.clicks)
