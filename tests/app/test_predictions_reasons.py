"""AppTest: the reasons behind each score (issue #20 item 2) on Predictions and Evaluation.

Run: 250 customers of the synthetic shop (tests/fixtures.py), purchase, H = 30, recency rule,
logistic regression and gradient boosting, trained through ``ecom_analytics.predict.run.run`` (which
computes and saves the explanations). What the pages show is checked against the explanations the
run saved (tested by hand in tests/unit/test_explain.py); a run saved before explanations were kept
says so in a sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.i18n import format_percent
from ecom_analytics.predict import explain

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def explained_home(tmp_path_factory):
    """(workspace folder, orders id, run id) of a run saved with its explanations."""
    from ecom_analytics.ingest.pipeline import ingest
    from ecom_analytics.predict.run import PredictSettings, run
    from ecom_analytics.store import Workspace
    from tests.fixtures import online_retail_export, synthetic_orders

    home = tmp_path_factory.mktemp("ws")
    ws = Workspace(home)
    orders_id = ingest(online_retail_export(synthetic_orders(n_customers=250)), "shop.csv", workspace=ws).dataset_id
    result = run(ws, {"orders": orders_id}, PredictSettings.make("purchase", 30, models=["recency", "logistic", "gboost"]))
    return home, orders_id, result.run_id


def open_page(page: str, home, orders_id, run_id, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, "run": run_id, **params})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_predictions_explain_the_first_customer_in_words_and_the_downloads_carry_the_reasons(explained_home, monkeypatch):
    from ecom_analytics.predict.registry import load_explanation, load_run
    from ecom_analytics.store import Workspace

    home, orders_id, run_id = explained_home
    at = open_page("pages/predictions.py", home, orders_id, run_id, monkeypatch)
    best = load_run(Workspace(home), run_id).meta["best_model"]
    found, features = load_explanation(Workspace(home), run_id, best)
    first = at.dataframe[0].value.index[0]  # the highest score
    assert at.selectbox(key="pr_why_customer").value == first
    row = found.index.get_loc(first)
    score = format_percent(float(found.output[row]))
    assert f"Why {first} scores {score}" in titles(at)
    bullets = next(m.value for m in at.markdown if m.value.startswith("- "))
    expected = explain.top_reasons(found, features).loc[first]
    assert bullets == "\n".join(f"- {text}" for text in expected if text)
    assert " the chance of buying by " in bullets
    # another customer: their own waterfall
    other = at.dataframe[0].value.index[5]
    at.selectbox(key="pr_why_customer").set_value(other).run()
    assert f"Why {other} scores {format_percent(float(found.output[found.index.get_loc(other)]))}" in titles(at)
    # the CSV and Excel downloads are built from the page's table joined with these reasons
    from ecom_analytics.ui import predict_cache

    reasons = predict_cache.run_reasons(run_id, best, "en", "")
    assert list(reasons.columns) == ["reason_1", "reason_2", "reason_3"]
    assert reasons.loc[first].tolist() == expected.tolist()
    assert (reasons["reason_1"] != "").all()
    assert np.isfinite(found.values).all()


def test_predictions_reasons_read_in_chinese(explained_home, monkeypatch):
    home, orders_id, run_id = explained_home
    at = open_page("pages/predictions.py", home, orders_id, run_id, monkeypatch, lang="zh")
    assert any(title.startswith("为什么 ") for title in titles(at))
    bullets = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert "个百分点" in bullets and "chance" not in bullets


def test_evaluation_shows_the_chosen_model_s_shap_summary(explained_home, monkeypatch):
    from ecom_analytics.predict.registry import load_importance
    from ecom_analytics.store import Workspace

    home, orders_id, run_id = explained_home
    at = open_page("pages/evaluation.py", home, orders_id, run_id, monkeypatch, ev_tab="What the model uses",
                   ev_model="gboost")
    table = load_importance(Workspace(home), run_id)
    mine = table[table["model"] == "gboost"]
    assert f"What moves the scores of Gradient boosting (SHAP values, top {min(15, len(mine))})" in titles(at)
    reading = next(c.value for c in at.caption if "moves the score most" in c.value)
    top = mine.iloc[0]
    assert reading.startswith(f"On the test window, {top['feature']} moves the score most: by "
                              f"{float(top['mean_abs']) * 100:.1f} on average")
    assert f"from the average customer's {format_percent(float(top['base']))}" in reading


def test_a_run_saved_before_reasons_were_kept_says_so(saved_run_home):
    home, orders_id, run_id = saved_run_home
    for page in ("pages/predictions.py", "pages/evaluation.py"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"orders": orders_id, "run": run_id, "ev_tab": "What the model uses"})
        at.run()
        at.switch_page(page).run()
        assert not at.exception and not at.error
        assert any("trained before the reasons behind each score were kept" in i.value for i in at.info), page
