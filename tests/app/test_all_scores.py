"""AppTest: every task at once (issue #20 item 3). The Model page's "Train all (purchase, churn,
revenue, CLV)" button trains the three tasks on the same split plus lifetime value in its
background thread, and Predictions' "All scores" view shows the combined table with its downloads.

Data: the hand-built shop of tests/unit/test_predict_all.py (60 customers over 240 days), ingested
into the test's workspace and opened through a link. The neural network is set small in the page's
own settings (3 epochs, one layer of 8 units); AppTest has no timer for the progress fragment's
``run_every``, so the test reruns the page about once a second until the thread is done.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace
from tests.fixtures import online_retail_export
from tests.unit.test_predict_all import hand_built_orders

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DONE = "Every task is trained on the same split"


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(path))
    return path


@pytest.fixture()
def orders_id(home) -> str:
    return pipeline.ingest(online_retail_export(hand_built_orders()), "shop.csv", kind="orders",
                           workspace=Workspace(home)).dataset_id


def open_page(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_all_scores_without_a_run_points_to_the_model_page(orders_id):
    at = open_page("pages/predictions.py", {"orders": orders_id, "pr_view": "all"})
    assert any("No run of every task at once in this session yet" in i.value for i in at.info)
    assert not at.dataframe


@pytest.mark.slow
@pytest.mark.keras  # three tiny networks train
def test_train_all_then_the_all_scores_table(orders_id, home):
    at = open_page("pages/model.py", {"orders": orders_id})
    at.number_input(key="md_epochs").set_value(3)
    at.text_input(key="md_layers").set_value("8")
    at.run()
    at.button(key="md_train_all").click().run()
    assert not at.exception, [e.value for e in at.exception]
    deadline = time.monotonic() + 240
    seen_progress = False
    while not any(DONE in s.value for s in at.success):
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        seen_progress = seen_progress or bool(at.get("progress"))
        assert time.monotonic() < deadline, "training every task did not finish within 240 s"
        time.sleep(1)
        at.run()
    assert seen_progress
    # each task's run is in the workspace, as the single-task button would have saved it; the page
    # now shows the chosen task's (purchase) leaderboard
    from ecom_analytics.predict.registry import list_runs

    runs = list_runs(Workspace(home))
    assert sorted(runs["task"]) == ["churn", "purchase", "revenue"]
    assert "Leaderboard (test window)" in [s.value for s in at.subheader]

    at.query_params["pr_view"] = "all"
    at.switch_page("pages/predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(d.value for d in at.dataframe if "p_purchase" in d.value.columns)
    assert {"p_purchase", "p_churn", "predicted_revenue", "expected_purchases", "expected_spend", "clv",
            "purchase_reason_1", "churn_reason_1", "revenue_reason_1"} <= set(shown.columns)
    assert len(shown) == 60  # every customer of the shop
    from ecom_analytics.predict.all_tasks import table_totals
    from ecom_analytics.ui import predict_cache

    done = at.session_state[predict_cache.ALL_RUN]["run"]
    assert done is not None
    table = done.result
    assert shown["p_purchase"].sort_index().tolist() == table["p_purchase"].sort_index().tolist()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers"] == "60"
    assert metrics["Expected buyers"] == f"{table_totals(table)['buyers']:,.0f}"
    labels = [b.label for b in at.get("download_button")]
    assert "All customers (CSV)" in labels and "All customers (Excel)" in labels


@pytest.mark.slow  # trains the three tasks (cheap models only)
def test_all_scores_in_chinese_from_a_run_of_this_session(orders_id, home):
    """The view draws a finished run of the session in Chinese: tiles through the locale formatters,
    the reasons in Chinese, the lifetime value's check on the test window in words."""
    from ecom_analytics.i18n import format_money_short, format_number
    from ecom_analytics.predict.all_tasks import AllSettings, run_all, table_totals
    from ecom_analytics.ui import predict_cache

    datasets = {"orders": orders_id, "events": None, "customers": None}
    done = run_all(Workspace(home), datasets, AllSettings.make(30, models=["recency", "logistic", "linear"]))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, "pr_view": "all", "lang": "zh"})
    at.session_state[predict_cache.ALL_RUN] = {"key": "all-test", "datasets": datasets, "run": done, "tables": {}}
    at.run()
    at.switch_page("pages/predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    totals = table_totals(done.result)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["客户"] == format_number(totals["customers"], "zh") == "60"
    assert metrics["预期购买人数"] == format_number(totals["buyers"], "zh")
    clv_tile = next(value for label, value in metrics.items() if "终身价值" in label)
    assert clv_tile == format_money_short(totals["clv"], "zh")
    shown = next(d.value for d in at.dataframe if "p_purchase" in d.value.columns)
    reasons = [r for r in shown["purchase_reason_1"] if r]
    assert reasons and all(any("\u4e00" <= c <= "\u9fff" for c in r) for r in reasons)  # in Chinese
    assert any("终身价值在同一测试窗口上的检验" in c.value for c in at.caption)


@pytest.mark.slow  # trains the three tasks (cheap models only)
def test_all_scores_reopen_from_the_workspace_after_the_session(orders_id, home):
    """A reload or a shared link has no session run: the view rebuilds the table from the runs Train all
    stored, the same figures as the session's table, and says it was reopened."""
    from ecom_analytics.predict.all_tasks import AllSettings, run_all, table_totals

    done = run_all(Workspace(home), {"orders": orders_id}, AllSettings.make(30, models=["recency", "logistic", "linear"]))
    at = open_page("pages/predictions.py", {"orders": orders_id, "pr_view": "all"})
    assert not at.info
    assert any(c.value.startswith("Reopened from the workspace: the newest stored run of each task") for c in at.caption)
    shown = next(d.value for d in at.dataframe if "p_purchase" in d.value.columns)
    expected = done.result
    assert shown["p_purchase"].sort_index().tolist() == expected["p_purchase"].sort_index().tolist()
    assert shown["clv"].sort_index().tolist() == expected["clv"].sort_index().tolist()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Expected buyers"] == f"{table_totals(expected)['buyers']:,.0f}"
    assert metrics["Customers"] == "60"
    # the scores view of one task points to the table of every task
    at = open_page("pages/predictions.py", {"orders": orders_id})
    links = [e.proto.label for e in at.get("page_link")]
    assert "See all the scores in one table" in links
