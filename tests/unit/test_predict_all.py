"""All at once (ecom_analytics.predict.all_tasks): purchase, churn and revenue on the same split plus
lifetime value, one combined table, and the ``predict`` command without ``--task``.

Data: a hand-built shop (:func:`hand_built_orders`): 60 customers over 240 days from 2024-01-01,
every order placed by a fixed rule (no random numbers), so each customer's history can be read
off the rule: customer i first buys on day (3 i) mod 60, then every 5 + 6 (i mod 7) days, until day
100 + (37 i mod 140); order k of customer i is worth 10 + 5 (i mod 9) + (k mod 3). The models are
the cheap ones (recency rule, logistic and ridge regression: no Keras); the runs are marked slow.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.cli import main
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.inputs import Inputs
from ecom_analytics.ingest.pipeline import ingest
from ecom_analytics.predict import clv, training
from ecom_analytics.predict.all_tasks import (STEP_NOTE, AllSettings, SecondsLeft, _Steps, combined_table,
                                              run_all, table_totals)
from ecom_analytics.predict.modeling import dumps
from ecom_analytics.predict.run import PredictRun, PredictSettings, run
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace
from tests.fixtures import online_retail_export

FAST = ("recency", "logistic", "linear")  # two classifiers, one regression: no Keras
START = pd.Timestamp("2024-01-01")


def hand_built_orders(n_customers: int = 60, days: int = 240) -> pd.DataFrame:
    """Canonical orders of the rule in the module docstring (one line per order, at noon)."""
    from ecom_analytics.ingest import schema

    rows = []
    for i in range(n_customers):
        day, gap, stop = (3 * i) % 60, 5 + 6 * (i % 7), min(100 + (37 * i) % 140, days)
        k = 0
        while day < stop:
            amount = float(10 + 5 * (i % 9) + (k % 3))
            rows.append((f"C{i:03d}", f"{1000 + 100 * i + k}", START + pd.Timedelta(days=day, hours=12), "P01",
                         "Product 1", "Cat1", 1.0, amount, amount, "United Kingdom" if i % 3 else "France"))
            day += gap
            k += 1
    f = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "product_id", "product_name", "category",
                                    "quantity", "unit_price", "amount", "country"])
    f["status"] = None
    return f[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])


def test_the_hand_built_shop_is_what_its_rule_says():
    orders = hand_built_orders()
    assert orders["customer_id"].nunique() == 60
    c7 = orders[orders["customer_id"] == "C007"]  # first day 21, every 5 days, until day 100 + 259 mod 140 = 219
    assert c7["timestamp"].min() == START + pd.Timedelta(days=21, hours=12)
    assert len(c7) == len(range(21, 219, 5)) == 40
    assert c7["amount"].tolist()[:4] == [45.0, 46.0, 47.0, 45.0]  # 10 + 5 x 7 + (k mod 3)


# ----------------------------------------------------------------------------- without training


def test_settings_give_each_task_the_models_it_knows():
    settings = AllSettings.make(30, seed=4, models=list(FAST), months=6, discount_rate=0.02, epochs=5)
    assert settings.task_settings("purchase") == PredictSettings.make("purchase", 30, seed=4,
                                                                      models=["recency", "logistic"], epochs=5)
    assert settings.task_settings("churn").models == ("recency", "logistic")
    assert settings.task_settings("revenue") == PredictSettings.make("revenue", 30, seed=4, models=["linear"], epochs=5)
    assert settings.clv_settings() == clv.ClvSettings(months=6, discount_rate=0.02)
    every = AllSettings.make(14)
    assert all(every.task_settings(task).models is None for task in ("purchase", "churn", "revenue"))
    # the single-task run id: a task trained all at once opens on the Model page as if trained alone
    datasets = {"orders": "0123456789abcdef"}
    assert every.task_settings("churn").run_id(datasets) == PredictSettings.make("churn", 14).run_id(datasets)


@pytest.mark.parametrize("kwargs, words", [({"horizon": 0}, "at least 1 day"),
                                           ({"horizon": 30, "models": ["recency"]}, "predicts revenue"),
                                           ({"horizon": 30, "months": 0}, "months"),
                                           ({"horizon": 30, "discount_rate": 1.5}, "discount rate"),
                                           ({"horizon": 30, "depth": 3}, "Unknown neural network setting")])
def test_bad_settings_say_why(kwargs, words):
    with pytest.raises(InputError, match=words):
        AllSettings.make(**kwargs)


def test_events_only_cannot_train_every_task():
    events = pd.DataFrame({"customer_id": ["a"], "timestamp": [START]})
    with pytest.raises(InputError, match="needs orders"):
        run_all(None, Inputs(events=events), AllSettings.make(30))


def test_seconds_left_never_grows_by_more_than_half():
    now = [0.0]
    left = SecondsLeft(clock=lambda: now[0])
    assert left(0.0) is None  # nothing done yet: no estimate
    now[0] = 10.0
    assert left(0.5) == 10.0  # 10 s for half: 10 s left
    now[0] = 20.0
    assert left(0.25) == 15.0  # a slower step says 60 s; shown at most 1.5 x 10
    now[0] = 22.0
    assert left(0.5) == 22.0  # says 22: below 1.5 x 15, so shown as it is
    now[0] = 30.0
    assert left(0.75) == 10.0  # 30 x 0.25 / 0.75


def test_seconds_left_caps_each_reading():
    now = [0.0]
    left = SecondsLeft(clock=lambda: now[0])
    shown = []
    for second, share in enumerate([0.5, 0.1, 0.05, 0.02, 0.6, 0.9, 1.0], start=1):
        now[0] = float(second)
        shown.append(left(share))
    assert shown[0] == 1.0  # 1 s for half
    assert shown[1:4] == [1.5, 2.25, 3.375]  # each at most 1.5 x the one before
    assert shown[4] == pytest.approx(5 * 0.4 / 0.6)
    assert shown[-1] == 0.0
    for before, after in zip(shown, shown[1:]):
        assert after <= 1.5 * before


def test_each_step_moves_the_bar_within_its_part_and_never_back():
    seen: list = []
    steps = _Steps(lambda share, step: seen.append((round(share, 6), step)), ["purchase", "churn", "revenue", "clv"])
    steps.report("purchase", 0.5, "Fitting the baselines")
    steps.report("churn", 0.0, "Fitting the baselines")
    steps.report("churn", 0.25, Note("Building examples at {n} training cutoffs and the test cutoff {date}",
                                     {"n": 2, "date": "2024-07-01"}))
    steps.epoch("churn", 10)(5, {"loss": 0.3})  # half the fit's epochs: 0.25 + 0.55 / 2 of churn's part
    steps.epoch("churn", 10)(2, {"phase": "refit", "epochs": 4})  # half the refit: 0.85 + 0.05 / 2
    steps.report("purchase", 0.1, "Done")  # an earlier step never moves the bar back
    steps.report("clv", 1.0, "Done")
    shares = [s for s, _ in seen]
    # purchase holds 0.44 of the bar, churn the next 0.24 (STEP_WEIGHTS)
    assert shares == [0.22, 0.44, 0.5, 0.566, 0.65, 0.65, 1.0]
    first = seen[0][1]
    assert first == Note(STEP_NOTE, {"task": Note("Purchase"), "n": 1, "total": 4, "step": Note("Fitting the baselines")})
    assert first.english() == "Purchase (1 of 4): Fitting the baselines"
    assert seen[3][1].english() == "Churn (2 of 4): Building examples at 2 training cutoffs and the test cutoff 2024-07-01"


class _Result:
    def __init__(self, predictions: pd.DataFrame) -> None:
        self.predictions = predictions


def _fake_run(task: str, predictions: pd.DataFrame, best: str) -> PredictRun:
    return PredictRun(capability="predict", datasets={}, settings=None, leaderboard=pd.DataFrame(), best_model=best,
                      result=_Result(predictions))


def test_the_combined_table_takes_each_tasks_best_model_by_hand():
    idx = pd.Index(["a", "b", "c"], name="customer_id")
    runs = {"purchase": _fake_run("purchase", pd.DataFrame({"gboost": [0.9, 0.2, 0.5], "neural": [0.1, 0.1, 0.1]},
                                                           index=idx), "gboost"),
            "churn": _fake_run("churn", pd.DataFrame({"logistic": [0.3]}, index=pd.Index(["b"], name="customer_id")),
                               "logistic"),
            "revenue": _fake_run("revenue", pd.DataFrame({"linear": [12.5, 0.0, 3.25]}, index=idx), "linear")}
    value = pd.DataFrame({"expected_purchases": [1.5, 0.5, 2.0, 0.1], "expected_spend": [30.0, 5.0, 40.0, 1.0],
                          "clv": [29.0, 4.9, 39.5, 0.99], "probability_alive": [0.9, 0.4, 0.95, 0.2],
                          "frequency": [3, 1, 4, 0]}, index=pd.Index(["c", "a", "b", "d"], name="customer_id"))
    table = combined_table(runs, value, reasons=False)
    expected = pd.DataFrame({"p_purchase": [0.9, 0.2, 0.5, np.nan], "p_churn": [np.nan, 0.3, np.nan, np.nan],
                             "predicted_revenue": [12.5, 0.0, 3.25, np.nan],
                             "expected_purchases": [0.5, 2.0, 1.5, 0.1], "expected_spend": [5.0, 40.0, 30.0, 1.0],
                             "clv": [4.9, 39.5, 29.0, 0.99], "probability_alive": [0.4, 0.95, 0.9, 0.2]},
                            index=pd.Index(["a", "b", "c", "d"], name="customer_id"))
    pd.testing.assert_frame_equal(table, expected)


def test_the_all_scores_figures_by_hand_in_english_and_chinese():
    from ecom_analytics.i18n import format_money_short, format_number

    table = pd.DataFrame({"p_purchase": [0.9, 0.2, 0.5, np.nan], "p_churn": [np.nan, 0.3, np.nan, np.nan],
                          "predicted_revenue": [12.5, 0.0, 3.25, np.nan], "expected_spend": [5.0, 40.0, 30.0, 1.0],
                          "clv": [100000.0, 20000.0, 3456.7, 0.0]})
    totals = table_totals(table)
    assert totals == {"customers": 4, "buyers": pytest.approx(1.6), "churners": pytest.approx(0.3),
                      "revenue": 15.75, "spend": 76.0, "clv": 123456.7}
    # what the All scores tiles show: numbers without decimals, money short (zh: 万 from 10,000 up)
    assert [format_number(totals[k], "en") for k in ("customers", "buyers", "churners")] == ["4", "2", "0"]
    assert format_money_short(totals["revenue"], "en", "£") == format_money_short(totals["revenue"], "zh", "£") == "£15.75"
    assert format_money_short(totals["clv"], "en", "£") == "£123,457"
    assert format_money_short(totals["clv"], "zh", "£") == "£12.3万"
    assert table_totals(table.drop(columns=["p_churn", "clv"]))["churners"] == 0.0  # a column missing counts nothing


# ----------------------------------------------------------------------------- training (slow)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """(workspace, orders dataset id, path of the hand-built orders as a CSV file)."""
    home = tmp_path_factory.mktemp("ws_all")
    path = home.parent / "hand_built_orders.csv"
    path.write_bytes(online_retail_export(hand_built_orders()))
    ws = Workspace(home)
    return ws, ingest(path.read_bytes(), "orders.csv", workspace=ws).dataset_id, path


@pytest.fixture(scope="module")
def all_run(shop):
    ws, orders_id, _ = shop
    steps: list = []
    done = run_all(ws, {"orders": orders_id}, AllSettings.make(30, seed=0, models=list(FAST)),
                   on_progress=lambda share, step: steps.append((share, step)))
    return done, steps


def without_seconds(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "seconds"}


@pytest.mark.slow  # trains three tasks
def test_each_task_is_the_run_of_that_task_alone(shop, all_run):
    ws, orders_id, _ = shop
    done, _ = all_run
    assert set(done.runs) == {"purchase", "churn", "revenue"}
    for task, together in done.runs.items():
        alone = run(ws, {"orders": orders_id}, done.settings.task_settings(task), save=False)
        assert without_seconds(together.summary) == without_seconds(alone.summary), task
        pd.testing.assert_frame_equal(together.leaderboard, alone.leaderboard, check_exact=True)
        pd.testing.assert_frame_equal(together.result.predictions, alone.result.predictions, check_exact=True)
        for kind in alone.curves:
            pd.testing.assert_frame_equal(together.curves[kind], alone.curves[kind], check_exact=True)
        pd.testing.assert_frame_equal(together.reasons(), alone.reasons())
        assert together.run_id == done.settings.task_settings(task).run_id({"orders": orders_id})
    # the same split: one test cutoff for every task. The last order is C015's on day 45 + 11 x 17 = 232
    # (its stop is 100 + 555 mod 140 = 235), so the data ends on day 233 and the test window starts
    # 30 days before: day 203, 2024-07-22 (2024 is a leap year)
    assert {r.summary["cutoff"] for r in done.runs.values()} == {"2024-07-22"}
    assert not done.notes


@pytest.mark.slow  # trains three tasks
def test_the_combined_table_holds_each_runs_scores_exactly(shop, all_run):
    ws, orders_id, _ = shop
    done, _ = all_run
    table = done.result
    for task, column in (("purchase", "p_purchase"), ("churn", "p_churn"), ("revenue", "predicted_revenue")):
        own = done.runs[task].result.predictions[done.runs[task].best_model]
        assert own.notna().all() and len(own) > 0
        assert table.loc[own.index, column].tolist() == own.tolist(), task  # exact equality
        assert table[column].notna().sum() == len(own)  # and nobody else has a score
        reasons = done.runs[task].reasons()
        assert table.loc[reasons.index, f"{task}_reason_1"].tolist() == reasons["reason_1"].tolist()
    alone = clv.run(ws, {"orders": orders_id}, clv.ClvSettings())
    value = alone.result.customers
    for column in ("expected_purchases", "expected_spend", "clv", "probability_alive"):
        assert table.loc[value.index, column].tolist() == value[column].tolist(), column
    written = dict(done.summary["clv"])
    test_window = written.pop("test_window")
    assert written == alone.summary  # the clv command's summary
    # and the same models fitted up to the day before the test cutoff, checked on the test window
    checked = clv.run(ws, {"orders": orders_id}, clv.ClvSettings(calibration_end="2024-07-21"))
    assert test_window == {"calibration_end": "2024-07-21", **checked.summary["evaluation"]}
    assert test_window["holdout_days"] == 30  # day 202 to the last order's day, 232
    assert done.clv_check.summary == checked.summary
    assert set(table.index) == set(value.index) | set(done.runs["purchase"].result.predictions.index)
    assert table.index.is_monotonic_increasing and table.index.name == "customer_id"
    assert list(done.leaderboard["task"].unique()) == ["purchase", "churn", "revenue"]


@pytest.mark.slow  # trains three tasks
def test_the_table_rebuilt_from_the_stored_runs_is_the_sessions(shop, all_run):
    """A reload or a shared link has no session run: All scores is rebuilt from the runs stored in the
    workspace (saved scores and SHAP values) and the same CLV, the same table in both languages."""
    from ecom_analytics.predict.all_tasks import combined_table, stored_table, stored_together

    ws, orders_id, _ = shop
    done, _ = all_run
    metas = stored_together(ws, {"orders": orders_id})
    assert {task: m["run_id"] for task, m in metas.items()} == {task: r.run_id for task, r in done.runs.items()}
    assert {m["split"]["test_cutoff"] for m in metas.values()} == {"2024-07-22"}
    customers = done.clv.result.customers
    pd.testing.assert_frame_equal(stored_table(ws, metas, customers), done.result, check_exact=True)
    for lang, currency in (("zh", "£"), ("en", "€")):
        pd.testing.assert_frame_equal(stored_table(ws, metas, customers, lang=lang, currency=currency),
                                      combined_table(done.runs, customers, lang=lang, currency=currency))
    assert stored_together(ws, {"orders": orders_id, "events": "0123456789abcdef"}) == {}  # other data: none


@pytest.mark.slow  # trains three tasks
def test_progress_covers_the_four_steps_in_order(all_run):
    _, steps = all_run
    shares = [share for share, _ in steps]
    assert shares == sorted(shares) and shares[-1] == 1.0
    names = [step.params["task"].code for _, step in steps]
    assert names == sorted(names, key=["Purchase", "Churn", "Revenue", "Lifetime value"].index)
    assert set(names) == {"Purchase", "Churn", "Revenue", "Lifetime value"}
    assert steps[-1][1].english() == "Lifetime value (4 of 4): Done"


@pytest.mark.slow  # trains two tasks
def test_a_task_the_data_cannot_support_is_left_out_with_the_reason(shop, monkeypatch):
    ws, orders_id, _ = shop
    original = training.train_and_evaluate

    def no_churn(orders, task, *args, **kwargs):
        if task == "churn":
            raise InputError("No customer qualifies for this task at the chosen cutoffs; try a longer horizon or "
                             "more data.")
        return original(orders, task, *args, **kwargs)

    monkeypatch.setattr(training, "train_and_evaluate", no_churn)
    done = run_all(ws, {"orders": orders_id}, AllSettings.make(30, models=list(FAST)), save=False)
    assert list(done.runs) == ["purchase", "revenue"]
    assert "p_churn" not in done.result.columns and "churn_reason_1" not in done.result.columns
    assert [n.english() for n in done.notes] == [
        "Churn could not be trained on these data; the combined table has no scores for it.",
        "No customer qualifies for this task at the chosen cutoffs; try a longer horizon or more data."]
    assert list(done.summary["tasks"]) == ["purchase", "revenue"] and done.summary["clv"] is not None
    from ecom_analytics.i18n import translate

    assert [translate(n, "zh") for n in done.notes][0] == "流失无法在这些数据上训练；合并表中没有它的分数。"


# ----------------------------------------------------------------------------- the command line


@pytest.fixture()
def fast_cli(monkeypatch):
    """The CLI's training with the cheap models only (each task keeps those of them it knows)."""
    original = training.train_and_evaluate

    def fast(orders, task, *args, models=None, **kwargs):
        keep = {"revenue": ["linear"]}.get(task, ["recency", "logistic"])
        return original(orders, task, *args, models=keep, **kwargs)

    monkeypatch.setattr(training, "train_and_evaluate", fast)


@pytest.mark.slow  # trains three tasks (twice: all at once and one task alone)
def test_cli_without_task_writes_every_task_and_the_combined_table(shop, tmp_path, fast_cli, capsys):
    _, _, path = shop
    out, preds = tmp_path / "all.json", tmp_path / "all.csv"
    assert main(["predict", "--orders", str(path), "--horizon", "30", "--json", str(out), "--predictions", str(preds),
                 "--months", "6"]) == 0
    printed = capsys.readouterr()
    written = json.loads(out.read_text(encoding="utf-8"))
    assert list(written) == ["tasks", "clv"]
    assert list(written["tasks"]) == ["purchase", "churn", "revenue"]
    assert written["clv"]["months"] == 6 and set(written["clv"]["bgnbd"]) >= {"r", "alpha", "a", "b"}
    assert written["clv"]["test_window"]["calibration_end"] == "2024-07-21"
    table = pd.read_csv(preds, dtype={"customer_id": str}, keep_default_na=False, na_values=[""])
    assert list(table.columns) == ["customer_id", "p_purchase", "p_churn", "predicted_revenue", "expected_purchases",
                                   "expected_spend", "clv", "probability_alive",
                                   *[f"{t}_reason_{r}" for t in ("purchase", "churn", "revenue") for r in (1, 2, 3)]]
    assert table["customer_id"].nunique() == len(table) == 60
    assert "Purchase (1 of 4)" in printed.err and "Lifetime value (4 of 4)" in printed.err
    assert "purchase, horizon 30 days" in printed.out and "lifetime value, next 6 months" in printed.out
    assert "checked on the test window (fitted up to 2024-07-21): Over the 30 days after" in printed.out

    # with --task: exactly the single-task command, and its JSON is the task's part of the combined one
    single = tmp_path / "purchase.json"
    assert main(["predict", "--orders", str(path), "--task", "purchase", "--horizon", "30", "--json", str(single)]) == 0
    text = single.read_text(encoding="utf-8")
    alone = json.loads(text)
    assert without_seconds(alone) == without_seconds(written["tasks"]["purchase"])
    assert text == dumps(alone) + "\n"  # written as before: dumps, two-space indent, a final newline


def test_cli_months_only_without_task(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    path = tmp_path / "orders.csv"
    path.write_bytes(online_retail_export(hand_built_orders()))
    code = main(["predict", "--orders", str(path), "--task", "churn", "--horizon", "30", "--months", "6"])
    assert code == 2
    assert "--months and --discount-rate" in capsys.readouterr().err
