"""AppTest: the Evaluation page keeps its open tab in the link, in either language, and computes
only that tab's charts; it opens on the run's best model, as Predictions does (issue #21).

Run: the saved purchase run of tests/app/conftest.py (200 synthetic customers, recency rule and
logistic regression).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_evaluation(home, orders_id, run_id, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"orders": orders_id, "run": run_id, **params})
    at.run()
    at.switch_page("pages/evaluation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_titles(at: AppTest) -> list[str]:
    import json

    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_the_slices_tab_reopens_from_a_link_and_only_its_chart_is_drawn(saved_run_home):
    home, orders_id, run_id = saved_run_home
    at = open_evaluation(home, orders_id, run_id, ev_tab="Slices")
    titles = chart_titles(at)
    assert len(titles) == 1 and titles[0].startswith("ROC AUC by country")  # not the ROC curve


def test_a_chinese_link_to_a_tab_opens_the_same_tab_in_english(saved_run_home):
    home, orders_id, run_id = saved_run_home
    at = open_evaluation(home, orders_id, run_id, ev_tab="分组表现")
    titles = chart_titles(at)
    assert len(titles) == 1 and "by country" in titles[0]


def test_evaluation_opens_on_the_best_model(saved_run_home):
    from ecom_analytics.predict.registry import load_run
    from ecom_analytics.store import Workspace

    home, orders_id, run_id = saved_run_home
    at = open_evaluation(home, orders_id, run_id)
    assert at.selectbox(key="ev_model").value == load_run(Workspace(home), run_id).meta["best_model"]
    assert len(at.get("plotly_chart")) == 2  # ROC and precision-recall: the first tab
