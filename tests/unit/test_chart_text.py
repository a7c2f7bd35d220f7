"""Charts take their words as arguments (#18): each chart module has a dict of English words
(``..._TEXT``); a page passes them already in the analyst's language (``ui.i18n.chart_text``) and a
chart without them (the report's sections) translates the defaults with ``lang``. Both give the same
figure, English by default; every default word has a Chinese translation (the words sit in dicts,
where the extraction of ``pybabel`` does not look, so this test is their completeness check)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ecom_analytics import i18n
from ecom_analytics.charts import clv as charts_clv
from ecom_analytics.charts import evaluation as charts_eval
from ecom_analytics.charts import forecast as charts_forecast
from ecom_analytics.charts import insights as charts_insights
from ecom_analytics.charts import recommend as charts_recommend
from ecom_analytics.insights.periods import PartialPeriod
from ecom_analytics.insights.segments import SEGMENTS
from ecom_analytics.predict import evaluation as ev

TEXTS = {"evaluation": charts_eval.EVALUATION_TEXT, "forecast": charts_forecast.FORECAST_TEXT,
         "recommend": charts_recommend.RECOMMEND_TEXT, "clv": charts_clv.CLV_TEXT,
         "insights": charts_insights.INSIGHTS_TEXT}


def page_text(defaults: dict[str, str], lang: str) -> dict[str, str]:
    """What ``ui.i18n.chart_text`` passes: ``t(english)`` of each word (``t`` without parameters is
    ``translate_message``)."""
    return {key: i18n.translate_message(english, lang) for key, english in defaults.items()}


def shown(fig) -> list[str]:
    """The words a figure shows: title, axis and subplot titles, trace names, hover templates, tick labels
    of category axes, annotations."""
    layout = fig.layout
    words = [layout.title.text]
    words += [layout[a].title.text for a in layout if a.startswith(("xaxis", "yaxis"))]
    words += [a.text for a in layout.annotations]
    for trace in fig.data:
        words += [trace.name, getattr(trace, "hovertemplate", None), getattr(trace, "texttemplate", None)]
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and len(values) and isinstance(values[0], str):
                words += list(values)
        text = getattr(trace, "text", None)
        if text is not None and not isinstance(text, str):
            words += [str(v) for v in np.asarray(text, dtype=object).ravel()]
    return [w for w in words if w]


@pytest.mark.parametrize("module", sorted(TEXTS))
def test_every_default_word_of_a_chart_module_has_a_chinese_translation(module):
    zh = i18n.catalogue("zh")
    missing = [english for english in TEXTS[module].values() if not zh.get(english, "").strip()]
    assert not missing


def _evaluation_charts():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    p = np.clip(y * 0.3 + rng.random(300) * 0.7, 0, 1)
    gain = ev.gain_table(y, p)
    slices = ev.slice_metrics(y, p, pd.Series(rng.choice(["UK", "FR"], 300)))
    history = [{"epoch": i, "loss": 1 / i, "val_loss": 1.2 / i, "auc": 0.6 + i / 50, "val_auc": 0.6 + i / 60}
               for i in range(1, 5)]
    importance = pd.DataFrame({"feature": ["recency", "frequency"], "importance": [0.1, 0.02], "std": [0.01, 0.0]})
    for task in ("purchase", "churn", "revenue"):
        yield lambda lang, text, task=task: charts_eval.roc_chart({"m": ev.roc_points(y, p)}, {"m": 0.7}, task=task,
                                                                  lang=lang, text=text)
        yield lambda lang, text, task=task: charts_eval.pr_chart({"m": ev.pr_points(y, p)}, 0.4, task=task,
                                                                 lang=lang, text=text)
        yield lambda lang, text, task=task: charts_eval.calibration_chart({"m": ev.calibration_table(y, p)},
                                                                          task=task, lang=lang, text=text)
        yield lambda lang, text, task=task: charts_eval.gain_chart({"m": gain}, task=task, lang=lang, text=text)
        yield lambda lang, text, task=task: charts_eval.lift_chart(gain, task=task, lang=lang, text=text)
        yield lambda lang, text, task=task: charts_eval.confusion_chart(ev.confusion_at(y, p, 0.5), task=task,
                                                                        lang=lang, text=text)
    yield lambda lang, text: charts_eval.importance_chart(importance, metric="mae", lang=lang, text=text)
    yield lambda lang, text: charts_eval.slice_chart(slices, "roc_auc", by="country", lang=lang, text=text)
    yield lambda lang, text: charts_eval.loss_curves_chart(history, lang, best=2, text=text)


def test_evaluation_charts_are_the_same_with_the_pages_words_and_without_them():
    for build in _evaluation_charts():
        for lang in ("en", "zh"):
            assert shown(build(lang, None)) == shown(build(lang, page_text(charts_eval.EVALUATION_TEXT, lang)))
        assert shown(build("zh", None)) != shown(build("en", None))


def test_evaluation_charts_are_english_by_default_and_show_the_words_they_are_given():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    gain = ev.gain_table(y, rng.random(200))
    fig = charts_eval.lift_chart(gain, task="churn")
    assert fig.layout.title.text == "Lift by score decile: how many times the average each decile does"
    assert fig.layout.yaxis.title.text == "Lift (share of churners in the decile / overall)"
    assert fig.data[0].name == "Lift"
    zh = charts_eval.lift_chart(gain, task="churn", lang="zh")
    assert zh.layout.yaxis.title.text == i18n.translate("Lift ({rate} in the decile / overall)", "zh",
                                                        rate=i18n.translate("share of {pos}", "zh",
                                                                            pos=i18n.translate("churners", "zh")))
    # the words given are shown as they are, the chart fills in their fields
    given = charts_eval.lift_chart(gain, task="churn", text={"lift_y": "L({rate})", "lift_share": "S:{pos}",
                                                             "churners": "C", "lift_title": "T"})
    assert (given.layout.title.text, given.layout.yaxis.title.text) == ("T", "L(S:C)")
    rng = np.random.default_rng(2)
    slices = ev.slice_metrics(rng.integers(0, 2, 200), rng.random(200), pd.Series(rng.choice(["UK", "FR"], 200)))
    for by in ("slice", "country", "RFM segment"):  # the default and the page's two
        title = charts_eval.slice_chart(slices, "roc_auc", by=by, lang="zh").layout.title.text
        assert i18n.translate(by, "zh") in title and by not in title


DECILES = [{"decile": d, "predicted_spend": 120.0 / d, "actual_spend": 100.0 / d} for d in range(1, 11)]


def test_the_clv_chart_is_the_same_with_the_pages_words_and_without_them_and_english_by_default():
    for lang in ("en", "zh"):
        assert shown(charts_clv.deciles_chart(DECILES, 90, lang)) == \
            shown(charts_clv.deciles_chart(DECILES, 90, lang, text=page_text(charts_clv.CLV_TEXT, lang)))
    fig = charts_clv.deciles_chart(DECILES, 90)
    assert fig.layout.title.text == "Predicted and actual spend over the 90 days after the calibration end"
    assert [trace.name for trace in fig.data] == ["Predicted spend", "Actual spend"]
    zh = charts_clv.deciles_chart(DECILES, 90, "zh")
    assert [trace.name for trace in zh.data] == [i18n.translate("Predicted spend", "zh"),
                                                 i18n.translate("Actual spend", "zh")] != ["Predicted spend", "Actual spend"]


def _insights_charts():
    periods = pd.date_range("2024-01-01", periods=8, freq="MS")
    series = pd.DataFrame({"period": periods, "revenue": np.arange(8) * 1000.0 + 500, "orders": np.arange(8) + 3,
                           "customers": np.arange(8) + 2})
    partial = [PartialPeriod("last", "month", dt.date(2024, 8, 1), 31, 9)]
    products = pd.DataFrame({"product_id": ["p1", "p2"], "product_name": ["Mug", None], "revenue": [10.0, 5.0],
                             "units": [3, 2], "orders": [2, 1], "customers": [2, 1]})
    countries = pd.DataFrame({"country": ["UK", "FR"], "revenue": [100.0, 50.0], "orders": [5, 3], "customers": [4, 2]})
    rules = pd.DataFrame({"rule": ["a", "b"], "quarantined": [3, 1], "revenue_quarantined": [1.0, 0.5], "matched": [3, 1]})
    deciles = pd.DataFrame({"low": [0.0, 1.0], "high": [1.0, 2.0], "label_mean": [0.2, 0.4], "customers": [10, 10],
                            "decile": [1, 2]})
    summary = pd.DataFrame({"segment": SEGMENTS[:3], "customers": [10, 20, 5], "revenue_share": [0.5, 0.3, 0.2],
                            "median_recency_days": [5, 30, 60]})
    matrix = pd.DataFrame([[1.0, 0.3, 0.2], [1.0, 0.25, np.nan]], index=["2024-06", "2024-07"], columns=[0, 1, 2])
    funnel = pd.DataFrame({"group": ["a"] * 3 + ["b"] * 3, "step": ["view", "cart", "purchase"] * 2,
                           "users": [100, 30, 10, 50, 10, 5], "conversion": [1, 0.3, 0.33, 1, 0.2, 0.5]})
    by_type = {"view": 10, "cart": 3, "purchase": 1}
    for measure in ("revenue", "orders"):
        yield lambda lang, text, measure=measure: charts_insights.sales_over_time_chart(
            series, measure, "month", currency="£", lang=lang, partial=partial, text=text)
    yield lambda lang, text: charts_insights.top_products_chart(products, lang=lang, text=text)
    yield lambda lang, text: charts_insights.country_chart(countries, lang=lang, text=text)
    yield lambda lang, text: charts_insights.quarantine_chart(rules, lang=lang, text=text)
    yield lambda lang, text: charts_insights.event_types_chart(
        by_type, lang=lang, text=text, type_names=None if text is None else {k: i18n.translate_message(k, lang)
                                                                             for k in by_type})
    yield lambda lang, text: charts_insights.feature_histogram_chart(pd.Series(np.arange(50.0)), "recency", "days",
                                                                     True, lang=lang, text=text)
    for task in ("purchase", "churn", "revenue"):
        yield lambda lang, text, task=task: charts_insights.label_rate_chart(deciles, "recency", task, lang=lang,
                                                                             text=text)
    yield lambda lang, text: charts_insights.rfm_treemap_chart(
        summary, lang=lang, text=text, segment_names=None if text is None else {s: i18n.translate_message(s, lang)
                                                                                for s in SEGMENTS})
    yield lambda lang, text: charts_insights.rfm_grid_chart(pd.DataFrame({"r": [1, 5], "f": [2, 5]}), lang=lang,
                                                            text=text)
    for value in ("retention", "revenue"):
        yield lambda lang, text, value=value: charts_insights.cohort_heatmap_chart(matrix, value, lang=lang,
                                                                                   partial=partial, text=text)
    yield lambda lang, text: charts_insights.funnel_chart(funnel[funnel["group"] == "a"], lang=lang, text=text)
    yield lambda lang, text: charts_insights.funnel_by_group_chart(funnel, lang=lang, text=text)


def test_insights_charts_are_the_same_with_the_pages_words_and_without_them():
    for build in _insights_charts():
        for lang in ("en", "zh"):
            assert shown(build(lang, None)) == shown(build(lang, page_text(charts_insights.INSIGHTS_TEXT, lang)))
        assert shown(build("zh", None)) != shown(build("en", None))


def test_insights_charts_are_english_by_default_and_name_the_codes_they_are_given():
    funnel = pd.DataFrame({"step": ["view", "cart", "purchase"], "users": [100, 30, 10]})
    fig = charts_insights.funnel_chart(funnel)
    assert fig.layout.title.text == "Users reaching each step (closed funnel)"
    assert list(fig.data[0].y) == ["View", "Cart", "Purchase"]
    assert list(charts_insights.funnel_chart(funnel, lang="zh").data[0].y) == \
        [i18n.translate(s, "zh") for s in ("View", "Cart", "Purchase")]
    events = charts_insights.event_types_chart({"view": 5, "wishlist": 2}, type_names={"view": "V"})
    assert list(events.data[0].x) == ["V", "wishlist"]  # a type without a label shows its code
    assert events.layout.title.text == "Events by type"
    sales = charts_insights.sales_over_time_chart(
        pd.DataFrame({"period": pd.date_range("2024-01-01", periods=3, freq="W-MON"), "revenue": [1.0, 2.0, 3.0]}),
        "revenue", "week", currency="£", text={"revenue": "R", "per_week": "w", "sales_title": "{measure}/{period}"})
    assert sales.layout.title.text == "R £/w"
