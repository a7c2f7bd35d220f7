"""Charts take their words as arguments (#18): each chart module has a dict of English words
(``..._TEXT``); a page passes them already in the analyst's language (``ui.i18n.chart_text``) and a
chart without them (the report's sections) translates the defaults with ``lang``. Both give the same
figure, English by default; every default word has a Chinese translation (the words sit in dicts,
where the extraction of ``pybabel`` does not look, so this test is their completeness check)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecom_analytics import i18n
from ecom_analytics.charts import clv as charts_clv
from ecom_analytics.charts import evaluation as charts_eval
from ecom_analytics.charts import forecast as charts_forecast
from ecom_analytics.charts import insights as charts_insights
from ecom_analytics.charts import recommend as charts_recommend
from ecom_analytics.predict import evaluation as ev

TEXTS = {"evaluation": charts_eval.EVALUATION_TEXT, "forecast": charts_forecast.FORECAST_TEXT,
         "recommend": charts_recommend.RECOMMEND_TEXT}


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
