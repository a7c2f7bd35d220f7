"""The customer-prediction run layer (ecom_analytics.predict.run, ecom_analytics.predict.clv.run) on
the synthetic shop of tests/fixtures.py (200 customers over 300 days from 2023-01-02, seeded),
ingested into a fresh workspace: the run gives the leaderboard of ``train_and_evaluate`` called
directly, its notes are codes, its evaluation curves are saved with it and equal to the ones
computed again, its id is the Model page's, and the command line reads a stored dataset id as it
reads the file."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.cli import main
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.inputs import load_inputs
from ecom_analytics.ingest.pipeline import ingest
from ecom_analytics.predict import clv, evaluation
from ecom_analytics.predict import training
from ecom_analytics.predict.modeling import CLASS_BALANCE
from ecom_analytics.predict.registry import load_curves, load_run, run_id_for
from ecom_analytics.predict.run import PredictSettings, curve_of, default_threshold, evaluation_curves, run
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace
from tests.fixtures import online_retail_export, save_small_run, synthetic_orders

FAST = ("recency", "logistic")  # no Keras: the run layer is what is tested here


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """(workspace, orders dataset id, path of the same orders as a CSV file)."""
    home = tmp_path_factory.mktemp("ws")
    path = home.parent / "orders.csv"
    path.write_bytes(online_retail_export(synthetic_orders(n_customers=200)))
    ws = Workspace(home)
    return ws, ingest(path.read_bytes(), "orders.csv", workspace=ws).dataset_id, path


@pytest.fixture(scope="module")
def fast_run(shop):
    ws, orders_id, _ = shop
    settings = PredictSettings.make("purchase", 30, seed=0, models=list(FAST))
    return run(ws, {"orders": orders_id}, settings)


def without_seconds(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "seconds"}


def assert_same(a, b, path: str = "") -> None:
    """``a`` and ``b`` equal, numbers to 1e-9 relative (DuckDB's parallel sums may add in another order)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), path
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and not isinstance(a, bool):
        assert b == pytest.approx(a, rel=1e-9, nan_ok=True), path
    else:
        assert a == b, path


@pytest.mark.slow  # trains every baseline (the fast tier keeps the cheaper run tests)
def test_the_run_gives_the_leaderboard_of_train_and_evaluate(shop, fast_run):
    ws, orders_id, _ = shop
    inputs = load_inputs(ws, {"orders": orders_id})
    direct = training.train_and_evaluate(inputs.orders, "purchase", 30, returns=inputs.returns,
                                         neural_params={"seed": 0}, models=list(FAST))
    pd.testing.assert_frame_equal(fast_run.leaderboard, direct.leaderboard)
    assert fast_run.best_model == direct.best_model
    assert without_seconds(fast_run.summary) == without_seconds(direct.summary())
    assert fast_run.summary["cutoff"] == "2023-09-29"  # the data end 2023-10-28; H = 30
    assert fast_run.result.task == "purchase" and fast_run.capability == "predict"
    assert fast_run.datasets == {"orders": orders_id, "events": None, "customers": None}


def test_notes_are_codes_with_params(fast_run):
    # 200 customers: far fewer than 100 of one outcome in the test window, so the balance note is made
    positives = int(fast_run.result.test["label"].sum())
    negatives = len(fast_run.result.test) - positives
    assert positives < 100
    assert fast_run.notes == [Note(CLASS_BALANCE, {"positives": f"{positives:,}", "negatives": f"{negatives:,}",
                                                   "minimum": 100}, "warning")]
    assert fast_run.summary["warnings"] == [fast_run.notes[0].english()]
    assert fast_run.notes[0].english().startswith(f"The test window has {positives} positives and {negatives} negatives")


def test_the_run_is_saved_under_the_model_pages_id_and_opens(shop, fast_run):
    ws, orders_id, _ = shop
    datasets = {"orders": orders_id, "events": None, "customers": None}
    assert fast_run.run_id == run_id_for(datasets, "purchase", 30, {"seed": 0, "models": list(FAST)})
    stored = load_run(ws, fast_run.run_id)
    assert stored.meta["params"] == {"seed": 0, "models": list(FAST)}
    assert stored.notes == fast_run.notes
    pd.testing.assert_frame_equal(stored.leaderboard, fast_run.leaderboard, check_dtype=False)


def test_page_settings_keep_the_ids_of_stored_runs():
    # the Model page's parameters before the run layer, and the id it gave them
    page_params = {"hidden": [64, 32], "dropout": 0.1, "l2": 1e-4, "learning_rate": 3e-4, "batch_size": 256,
                   "epochs": 100, "patience": 15, "class_weight": None, "seed": 0}
    datasets = {"orders": "0123456789abcdef", "events": None, "customers": None}
    settings = PredictSettings.make("churn", 7, seed=0, hidden=(64, 32), dropout=0.1, l2=1e-4, learning_rate=3e-4,
                                    batch_size=256, epochs=100, patience=15, class_weight=None)
    assert settings.params() == page_params
    assert settings.run_id(datasets) == run_id_for(datasets, "churn", 7, page_params)
    assert settings.neural_params()["hidden"] == (64, 32)
    hash(settings)  # frozen: a cache key


def test_bad_settings_say_why():
    with pytest.raises(InputError, match="Unknown task 'sales'"):
        PredictSettings.make("sales", 30)
    with pytest.raises(InputError, match="at least 1 day"):
        PredictSettings.make("purchase", 0)
    with pytest.raises(InputError, match="Unknown neural network setting random_state"):
        PredictSettings.make("purchase", 30, random_state=0)


def test_curves_are_saved_and_equal_to_the_ones_computed_again(shop, fast_run):
    ws, _, _ = shop
    saved = load_curves(ws, fast_run.run_id)
    assert set(saved) == {"roc", "pr", "gain", "calibration", "top_share", "confusion", "slices"}
    stored = load_run(ws, fast_run.run_id)
    test = stored.test[[c for c in stored.test.columns if not c.startswith("score_")]]
    again = evaluation_curves(test, stored.test_scores(), "purchase")
    for kind in saved:
        pd.testing.assert_frame_equal(saved[kind], again[kind], check_dtype=False, obj=kind)
    # and each curve is the evaluation function's own answer for that model
    y = fast_run.result.test["label"].to_numpy()
    for model, p in fast_run.result.test_scores.items():
        pd.testing.assert_frame_equal(curve_of(saved, "roc", model), evaluation.roc_points(y, p))
        pd.testing.assert_frame_equal(curve_of(saved, "gain", model), evaluation.gain_table(y, p), check_dtype=False)
        confusion = curve_of(saved, "confusion", model).iloc[0].to_dict()
        assert {k: confusion[k] for k in ("tp", "fp", "fn", "tn")} == \
            {k: v for k, v in evaluation.confusion_at(y, p, default_threshold(p)).items() if k in ("tp", "fp", "fn", "tn")}
    assert set(saved["slices"]["by"]) == {"country", "RFM segment"}


def test_curves_on_a_hand_made_window():
    # four customers: buyers scored 0.9 and 0.3, non-buyers 0.8 and 0.1
    test = pd.DataFrame({"label": [1, 0, 1, 0], "country": ["UK", "UK", "FR", "FR"]},
                        index=pd.Index(["a", "b", "c", "d"], name="customer_id"))
    p = np.array([0.9, 0.8, 0.3, 0.1])
    # 90th percentile of (0.1, 0.3, 0.8, 0.9): position 2.7 -> 0.8 + 0.7 x 0.1 = 0.87
    assert default_threshold(p) == 0.87
    curves = evaluation_curves(test, {"m": p}, "purchase")
    confusion = curve_of(curves, "confusion", "m").iloc[0]
    assert (confusion["tp"], confusion["fp"], confusion["fn"], confusion["tn"]) == (1, 0, 1, 2)  # only 0.9 flagged
    assert confusion["threshold"] == 0.87
    top = curve_of(curves, "top_share", "m")
    assert list(top["customers"]) == [1, 1, 1]  # ceil(5 %, 10 %, 20 % of 4) = 1: customer a, a buyer
    assert list(top["precision"]) == [1.0, 1.0, 1.0]
    slices = curve_of(curves, "slices", "m", "country").set_index("group")
    assert slices.loc["UK", "customers"] == 2 and slices.loc["UK", "positive_rate"] == 0.5
    assert slices.loc["UK", "roc_auc"] == 1.0  # the UK buyer (0.9) above the UK non-buyer (0.8)
    assert slices.loc["FR", "roc_auc"] == 1.0  # 0.3 above 0.1
    # revenue: gain and slices only
    revenue = evaluation_curves(test.assign(label=[50.0, 0.0, 20.0, 0.0]), {"m": p}, "revenue")
    assert set(revenue) == {"gain", "slices"}


@pytest.mark.slow  # trains every baseline (the fast tier keeps the cheaper run tests)
def test_a_run_saved_before_curves_has_none(tmp_path):
    orders_id, run_id = save_small_run(tmp_path / "ws")
    assert load_curves(Workspace(tmp_path / "ws"), run_id) is None
    stored = load_run(Workspace(tmp_path / "ws"), run_id)
    assert all(isinstance(n, Note) for n in stored.notes)


def test_events_only_needs_churn(shop):
    ws, orders_id, _ = shop
    from ecom_analytics.ingest.inputs import Inputs

    with pytest.raises(InputError, match="give at least one"):
        run(ws, Inputs(), PredictSettings.make("churn", 30))


# ----------------------------------------------------------------------------- CLV


def test_clv_run_is_run_clv_with_coded_notes(shop):
    ws, orders_id, _ = shop
    settings = clv.ClvSettings(months=6, discount_rate=0.01)
    result = clv.run(ws, {"orders": orders_id}, settings)
    direct = clv.run_clv(ws.load_clean(orders_id), None, "weeks", 6, 0.01)
    assert result.summary == direct.summary()
    assert list(result.leaderboard["model"]) == ["bgnbd", "gamma_gamma"]
    assert result.leaderboard.loc[0, "r"] == direct.bgnbd.params_["r"]
    expected = [Note(clv.CORRELATED_NOTE, {"correlation": v["correlation"]}, "warning")
                for code, v in direct.notes if code == "frequency_spend_correlated"]
    assert result.notes == expected
    checked = clv.run(ws, {"orders": orders_id}, clv.ClvSettings(months=6, holdout=True))
    end = clv.default_calibration_end(ws.load_clean(orders_id), 6)
    assert checked.summary["calibration_end"] == f"{end:%Y-%m-%d}"
    assert checked.result.evaluation is not None


def test_clv_note_reads_in_english():
    note = Note(clv.CORRELATED_NOTE, {"correlation": 0.4567}, "warning")
    assert note.english().startswith("Frequency and spend per purchase correlate at 0.46 among repeat customers;")


# ----------------------------------------------------------------------------- the command line


@pytest.fixture()
def fast_cli(monkeypatch):
    """The CLI's training without the neural model (the run layer is what is compared)."""
    original = training.train_and_evaluate

    def fast(*args, models=None, **kwargs):
        return original(*args, models=list(FAST), **kwargs)

    monkeypatch.setattr(training, "train_and_evaluate", fast)


@pytest.mark.slow  # trains every baseline (the fast tier keeps the cheaper run tests)
def test_cli_predict_from_a_dataset_id_equals_the_file(shop, tmp_path, fast_cli, capsys):
    ws, orders_id, path = shop
    outs = {}
    for name, source in (("file", str(path)), ("id", orders_id)):
        out, preds = tmp_path / f"{name}.json", tmp_path / f"{name}.csv"
        assert main(["predict", "--orders", source, "--task", "purchase", "--horizon", "30", "--home", str(ws.home),
                     "--json", str(out), "--predictions", str(preds)]) == 0
        outs[name] = (without_seconds(json.loads(out.read_text())), pd.read_csv(preds, dtype={"customer_id": str}))
    assert_same(outs["file"][0], outs["id"][0])
    pd.testing.assert_frame_equal(outs["file"][1], outs["id"][1], rtol=1e-9)
    summary = outs["id"][0]
    assert summary["cutoff"] == "2023-09-29" and set(summary["models"]) == set(FAST)
    printed = capsys.readouterr().out
    assert "note: The test window has" in printed


@pytest.mark.parametrize("command", [["features", "--cutoff", "2023-06-01"], ["segments"], ["clv", "--months", "6"]])
def test_cli_commands_read_a_dataset_id_as_the_file(shop, tmp_path, command):
    ws, orders_id, path = shop
    texts: list[pd.DataFrame] = []
    for source in (str(path), orders_id):
        out = tmp_path / f"out_{len(texts)}.csv"
        assert main([command[0], "--orders", source, *command[1:], "--home", str(ws.home), "--out", str(out)]) == 0
        texts.append(pd.read_csv(out, dtype={"customer_id": str}))
    pd.testing.assert_frame_equal(texts[0], texts[1], rtol=1e-9)
    assert len(texts[0]) > 100  # one line per customer


def test_cli_unknown_dataset_id_says_so(shop, tmp_path, capsys):
    ws, _, _ = shop
    code = main(["segments", "--orders", "0123456789abcdef", "--home", str(ws.home), "--out", str(tmp_path / "s.csv")])
    assert code == 2
    assert "neither a file nor a dataset of the workspace" in capsys.readouterr().err


# ----------------------------------------------------------------------------- Keras


@pytest.mark.keras
def test_a_run_with_a_tiny_neural_model_is_saved_with_it(shop):
    ws, orders_id, _ = shop
    settings = PredictSettings.make("purchase", 30, seed=3, hidden=(8,), epochs=2, patience=0)
    steps = []
    done = run(ws, {"orders": orders_id}, settings, on_progress=lambda share, step: steps.append((share, step)))
    assert "neural" in set(done.leaderboard["model"])
    stored = load_run(ws, done.run_id)
    assert stored.meta["has_neural"] and stored.meta["params"] == {"hidden": [8], "epochs": 2, "patience": 0, "seed": 3}
    assert len(stored.history) == 2
    assert "neural" in set(load_curves(ws, done.run_id)["roc"]["model"])
    shares = [share for share, _ in steps]
    assert shares == sorted(shares) and steps[-1] == (1.0, "Done")


def test_a_coded_step_gets_its_share_of_the_progress_bar():
    from ecom_analytics.i18n import translate
    from ecom_analytics.predict.run import _stage_reporter
    from ecom_analytics.runs import Note

    seen: list = []
    say = _stage_reporter(lambda share, step: seen.append((share, step)))
    step = Note("Building examples at {n} training cutoffs and the test cutoff {date}", {"n": 8, "date": "2011-11-09"})
    say(step)
    say("Fitting the baselines")
    assert seen == [(0.02, step), (0.15, "Fitting the baselines")]
    assert str(step) == "Building examples at 8 training cutoffs and the test cutoff 2011-11-09"
    assert "8" in translate(step, "zh") and "Building" not in translate(step, "zh")
