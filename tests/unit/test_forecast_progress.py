"""The forecast's progress steps are notes (a code and its numbers): the page words them in the
analyst's language, the command line prints the same English as when they were sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.cli import main
from ecom_analytics.forecasting import run_forecast
from ecom_analytics.forecasting.series import SeriesSet
from ecom_analytics.i18n import translate
from ecom_analytics.runs import Note

from .test_cli_forecast import home, monthly_csv  # noqa: F401  (fixtures)


def two_weekly_series() -> SeriesSet:
    ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    rng = np.random.default_rng(0)
    frame = pd.concat([pd.DataFrame({"unique_id": uid, "ds": ds, "y": level + rng.normal(0, 1, len(ds))})
                       for uid, level in (("a", 50.0), ("b", 20.0))], ignore_index=True)
    return SeriesSet(frame, "W", "revenue", "product")


def test_every_step_is_a_note_with_the_english_of_before_and_chinese():
    steps: list[tuple[float, object]] = []
    run_forecast(two_weekly_series(), ["naive", "gbm"], 4, 2, country="", n_jobs=1,
                 on_progress=lambda share, step: steps.append((share, step)))
    assert all(isinstance(step, Note) for _, step in steps)
    english = [str(step) for _, step in steps]
    cuts = [s for s in english if s.startswith("Training gradient boosting")]
    assert english[0] == "Backtesting 2 series"
    assert cuts and cuts[0] == f"Training gradient boosting across the series: cut 1 of {len(cuts)}"
    assert english[-3:] == ["Backtested 1 of 2 series", "Backtested 2 of 2 series", "Forecast done"]
    assert [share for share, _ in steps][-3:] == [0.1 + 0.85 / 2, 0.95, 1.0]
    zh = [translate(step, "zh") for _, step in steps]
    assert zh[0] == "正在回测 2 个序列"
    assert f"正在跨序列训练梯度提升模型：第 1/{len(cuts)} 个截断点" in zh
    assert zh[-3:] == ["已回测 1/2 个序列", "已回测 2/2 个序列", "预测完成"]


def test_the_command_prints_the_steps_in_english(monthly_csv, capsys):  # noqa: F811
    assert main(["forecast", str(monthly_csv), "--horizon", "3", "--windows", "2", "--models", "naive"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["- Backtesting 1 series", "- Backtested 1 of 1 series", "- Forecast done"]
