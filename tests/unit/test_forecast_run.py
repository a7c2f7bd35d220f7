"""The forecast and recommendation runs (#18 items 2-3): one run for the page and the command line,
its summary exactly the ``--json`` the commands wrote before, a stored dataset's id read like its file,
coded notes with plurals, and the readings the Forecast page draws, checked against hand-computed
figures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.cli import main
from ecom_analytics.forecasting import build_series, notes
from ecom_analytics.forecasting.models import ETS, SeasonalNaive, Theta
from ecom_analytics.forecasting.notes import english, group_by_series, words
from ecom_analytics.forecasting.run import ForecastSettings, run
from ecom_analytics.i18n import translate
from ecom_analytics.ingest import pipeline
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace

from .test_cli_forecast import monthly_csv, orders_csv  # noqa: F401  (fixtures: the files the golden JSON came from)

GOLDEN = Path(__file__).with_name("forecast_golden")


def same_json(written: str, golden: str) -> bool:
    """The same keys, strings and choices as the golden JSON, and its figures to 1 part in 1,000: statsmodels'
    optimiser lands a few units of the 4th digit apart on different CPUs (ETS's MAE 11.4681 on one machine,
    11.4693 on another), which is no change of behaviour."""
    return _same(json.loads(written), json.loads(golden))


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and bool(np.isclose(a, b, rtol=1e-3))
    return a == b


MONTHLY_MODELS = "naive,seasonal_naive,ets,theta,auto"


def zh(note: Note) -> str:
    return words(note, lambda code, **params: translate(code, "zh", **params))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(folder))
    return folder


@pytest.mark.slow  # a full backtest from the command line
def test_the_run_summary_is_the_json_the_command_wrote_before(monthly_csv, home, tmp_path):
    """Byte-equal: the command's --json from the file and from the stored dataset's id, and the run's
    summary, against the JSON the command wrote before the run layer (its notes were unaffected by the
    wording fixes)."""
    before = (GOLDEN / "monthly_before_18.json").read_text(encoding="utf-8")
    from_file, from_id = tmp_path / "file.json", tmp_path / "id.json"
    args = ["--horizon", "6", "--windows", "2", "--models", MONTHLY_MODELS]
    assert main(["forecast", str(monthly_csv), *args, "--json", str(from_file)]) == 0
    dataset_id = pipeline.ingest(monthly_csv.read_bytes(), monthly_csv.name, workspace=Workspace(home)).dataset_id
    assert main(["forecast", dataset_id, *args, "--json", str(from_id)]) == 0
    assert from_file.read_text(encoding="utf-8") == from_id.read_text(encoding="utf-8")
    assert same_json(from_file.read_text(encoding="utf-8"), before)
    settings = ForecastSettings(horizon=6, windows=2, models=tuple(MONTHLY_MODELS.split(",")))
    done = run(Workspace(home), {"sales": dataset_id}, settings)
    assert json.dumps(done.summary, indent=2, ensure_ascii=False) + "\n" == from_file.read_text(encoding="utf-8")  # write_json ends the file with a newline
    assert same_json(json.dumps(done.summary), before)
    assert done.capability == "forecast" and done.datasets == {"sales": dataset_id}
    assert done.best_model == json.loads(before)["best_model"] == done.leaderboard.sort_values(
        ["mase", "smape"]).iloc[0]["model"]


def test_orders_by_product_from_an_id_equal_the_file_and_notes_read_right(orders_csv, home, tmp_path):
    from_file, from_id = tmp_path / "file.json", tmp_path / "id.json"
    args = ["--by", "product", "--freq", "W", "--horizon", "4", "--windows", "2"]
    assert main(["forecast", str(orders_csv), *args, "--json", str(from_file)]) == 0
    dataset_id = pipeline.ingest(orders_csv.read_bytes(), orders_csv.name, workspace=Workspace(home)).dataset_id
    assert main(["forecast", dataset_id, "--home", str(home), *args, "--json", str(from_id)]) == 0
    assert from_file.read_bytes() == from_id.read_bytes()
    assert same_json(from_file.read_text(encoding="utf-8"), (GOLDEN / "orders_product.json").read_text(encoding="utf-8"))
    said = json.loads(from_file.read_text(encoding="utf-8"))["notes"]
    # 30 Tuesdays from 2024-01-02: the week of 2024-01-01 starts a day before the data, the week of
    # 2024-07-22 ends six days after it; 28 complete weeks in between
    assert said[:2] == ["the first week (2024-01-01) is only partly covered by the data and was left out",
                        "the last week (2024-07-22) is only partly covered by the data and was left out"]
    assert ("'A': seasonal models need at least one season plus the horizon (56 weeks); the history has 28 weeks, "
            "so the models that can fit are used") in said
    # the first selection window is fitted on 28 - 4 x 4 = 12 weeks: the note says so, not "the history has 12"
    assert any(n.endswith("(Seasonal naive needs at least one season (52 periods); the part of the history it was "
                          "fitted on has 12.)") for n in said)
    assert not any("the history has 12" in n for n in said)


def test_a_dataset_id_that_is_not_there_is_one_sentence(home, capsys):
    assert main(["forecast", "0123456789abcdef", "--horizon", "4"]) == 2
    err = capsys.readouterr().err.strip()
    assert "'0123456789abcdef' is neither a file nor a dataset of the workspace" in err and "\n" not in err


def test_plurals_are_chosen_by_count():
    assert english(notes.span(1, "W")) == "1 week" and english(notes.span(4, "W")) == "4 weeks"
    assert english(notes.span(1, "M")) == "1 month" and english(notes.span(2, "D")) == "2 days"
    # one missing week inside product A's series (weeks 3 and 5 sold, week 4 not)
    days = [pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=w) for w in (0, 1, 2, 4, 5)]
    orders = pd.DataFrame({"timestamp": days, "amount": 10.0, "quantity": 1.0, "order_id": list("abcde"),
                           "product_id": "A"})
    series = build_series(orders, "revenue", "total", "W")
    filled = [n for n in series.notes if n.code in (notes.FILLED_ONE, notes.FILLED_MANY)]
    assert [english(n) for n in filled] == ["1 missing week was filled with zero (in 1 series)"]
    assert zh(filled[0]) == "1 个缺失的周已用零填充（涉及 1 个序列）"
    two = build_series(orders[orders["order_id"] != "d"], "revenue", "total", "W")
    assert [english(n) for n in two.notes if n.code == notes.FILLED_MANY] == [
        "2 missing weeks were filled with zero (in 1 series)"]


def test_a_horizon_of_one_period_reads_in_the_singular():
    orders = pd.DataFrame({"timestamp": pd.date_range("2024-01-01", periods=7, freq="D"), "amount": 1.0,
                           "quantity": 1.0, "order_id": [str(i) for i in range(7)]})  # one whole week
    from ecom_analytics.errors import InputError
    from ecom_analytics.forecasting import run_forecast

    with pytest.raises(InputError) as caught:
        run_forecast(build_series(orders, "revenue", "total", "W"), ["naive"], 1, 1)
    # one week of history leaves no horizon to choose (it said "Choose a horizon below 1" before)
    assert str(caught.value) == ("'total' has 1 week of history: nothing can be backtested. Choose a finer frequency "
                                 "(days instead of weeks, weeks instead of months) or upload a longer export.")
    assert caught.value.note.code == notes.HISTORY_ONE_PERIOD
    assert zh(caught.value.note).startswith("“total”只有1 周的历史：无法回测")
    two = pd.DataFrame({"timestamp": pd.date_range("2024-01-01", periods=14, freq="D"), "amount": 1.0,
                        "quantity": 1.0, "order_id": [str(i) for i in range(14)]})  # two whole weeks
    with pytest.raises(InputError) as caught:
        run_forecast(build_series(two, "revenue", "total", "W"), ["naive"], 2, 1)
    assert str(caught.value) == ("The horizon (2 weeks) is not shorter than the history of 'total' (2 weeks). "
                                 "Choose a horizon below 2 or a finer frequency.")
    assert caught.value.note.code == notes.HORIZON_TOO_LONG
    assert zh(caught.value.note).startswith("预测期（2 周）不短于“total”的历史（2 周）")


def test_ets_and_theta_say_how_much_history_they_need():
    """ETS fits a season from 2m + 2 periods, Theta from 2m: each note names its own minimum."""
    y = np.arange(20, dtype=float) + 10
    assert english(ETS(12).fit(y).note_) == "less than two seasons plus 2 periods (26) of history: fitted without seasonality"
    assert english(Theta(12).fit(y).note_) == "less than two seasons (24 periods) of history: fitted without seasonality"
    from ecom_analytics.forecasting.notes import NoteError

    with pytest.raises(NoteError) as caught:
        SeasonalNaive(12).fit(y[:7])
    assert str(caught.value) == ("Seasonal naive needs at least one season (12 periods); the part of the history it "
                                 "was fitted on has 7.")


def test_notes_holding_for_several_series_are_grouped_by_code_not_by_words():
    a = notes.note(notes.SEASONAL_SHORT, series="A", needed=notes.span(56, "W"), history=notes.span(28, "W"))
    b = notes.note(notes.SEASONAL_SHORT, series="B", needed=notes.span(56, "W"), history=notes.span(28, "W"))
    c = notes.note(notes.SEASONAL_SHORT, series="C", needed=notes.span(56, "W"), history=notes.span(20, "W"))
    other = notes.note(notes.HOLIDAYS, country="GB", n=8)
    assert group_by_series([other, a, b, c], ["A", "B", "C"]) == [(other, []), (a, ["B"]), (c, [])]


def test_partial_edges_are_the_overview_s():
    """The series leave out the same partial weeks and months as Overview (insights.periods)."""
    from ecom_analytics.insights.periods import partial_periods, period_of

    stamps = pd.Series(pd.to_datetime(["2011-01-05 09:00", "2011-03-09 17:00"]))  # Wed to Wed
    orders = pd.DataFrame({"timestamp": pd.date_range(stamps[0], stamps[1], freq="D"), "amount": 1.0,
                           "quantity": 1.0})
    orders["order_id"] = orders.index.astype(str)
    for freq, grain in (("W", "week"), ("M", "month")):
        series = build_series(orders, "revenue", "total", freq)
        edges = partial_periods(period_of(orders["timestamp"]), grain)
        assert [pd.Timestamp(p.start) for p in edges] == list(series.partial["ds"])
        assert series.frame["ds"].min() > pd.Timestamp(edges[0].start)
        assert series.frame["ds"].max() < pd.Timestamp(edges[-1].start)


def test_notes_of_the_stock_hints_are_coded():
    from ecom_analytics.forecasting import inventory_hints

    future = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=2, freq="W-MON"), "yhat": [10.0, 10.0]})
    hints = inventory_hints(future, 2.0, "W", lead_time_days=28, service_level=0.95, current_stock=0)
    assert [n.code for n in hints.notes] == [notes.LEAD_BEYOND, notes.NO_STOCK]
    assert hints.note == "; ".join(english(n) for n in hints.notes)
    assert "notes" not in hints.as_dict()


# --- the readings the Forecast page draws, against figures computed by hand ---------------------------

def test_the_forecast_reading_compares_the_horizon_with_the_periods_before_it():
    from ecom_analytics.forecasting import readings

    history = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=4, freq="W-MON"), "y": [10.0, 20, 30, 40]})
    future = pd.DataFrame({"yhat": [25.0, 35.0]})
    # 25 + 35 = 60 ahead against 30 + 40 = 70 in the last two weeks: 60 / 70 - 1 = -14 %
    note = readings.forecast_reading(history, future, "theta", 2, "W")
    assert english(note).startswith("Reading: Theta expects 60 over the next 2 weeks (-14% on the last 2 weeks); ")
    assert zh(note).startswith("解读：Theta 预计未来 2 周共 60（较最近 2 周 -14%）")
    one = readings.forecast_reading(history, future.head(1), "naive", 1, "W", method="mint")
    # 25 against the last week's 40: -38 %; the coherent forecast names its reconciliation
    assert english(one).startswith("Reading: Naive, made coherent with MinT, expects 25 over the next 1 week (-38% on "
                                   "the last 1 week)")
    quiet = pd.DataFrame({"ds": history["ds"], "y": [5.0, 5, 0, 0]})
    assert english(readings.forecast_reading(quiet, future, "theta", 2, "W")).startswith(
        "Reading: Theta expects 60 over the next 2 weeks; the shaded bands")  # no change against nothing sold
    assert readings.forecast_reading(history, future.iloc[0:0], "theta", 2, "W") is None


def test_the_error_by_step_and_auto_readings():
    from types import SimpleNamespace

    from ecom_analytics.forecasting import readings

    by_step = pd.DataFrame({"model": ["naive"] * 3 + ["theta"] * 3, "step": [1, 2, 3] * 2,
                            "smape": [9.0, 9.5, 10.0, 4.04, 6.0, 7.96]})
    result = SimpleNamespace(by_step=by_step, best_model="theta", horizon=3, series=SimpleNamespace(freq="M"),
                             chosen={"A": "ets+theta", "B": "seasonal_naive", "C": "theta"},
                             chosen_reason={"A": "best", "B": "guard", "C": "default"})
    assert english(readings.by_step_reading(result)) == ("Reading: the best model's sMAPE goes from 4.0 % one month "
                                                         "ahead to 8.0 % 3 months ahead.")
    assert english(readings.auto_reading(result, "A")).startswith("Auto averages **ETS, Theta** for this series")
    assert english(readings.auto_reading(result, "B")) == (
        "Auto uses **Seasonal naive** for this series: the choices ranked on the earlier windows did not beat "
        "Seasonal naive there, so it falls back to Seasonal naive.")
    result.auto = SimpleNamespace(per_series={"B": {"origins": 6, "ratio": 1.125}}, margin=1.0)
    assert english(readings.auto_reading(result, "B")) == (
        "Auto uses **Seasonal naive** for this series: on the table's earlier forecasts (6 of them, each made with the "
        "models ranked best on the forecasts before it only), its choices erred 112% as much as Seasonal naive; it "
        "keeps them only below 100%, so it falls back to Seasonal naive.")
    assert english(readings.auto_reading(result, "C")).startswith("Auto uses **Theta** for this series: there was no")
    assert readings.auto_reading(result, "D") is None


def test_the_chart_items_and_the_stock_reading():
    from types import SimpleNamespace

    from ecom_analytics.forecasting import readings

    history = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=3, freq="W-MON"), "y": [1.0, 2, 3],
                            "flag": [0.0, 1, 0]})
    last = pd.DataFrame({"ds": history["ds"], "y": [1.0, np.nan, np.nan]})
    partial = pd.DataFrame({"ds": [pd.Timestamp("2023-12-25")], "y": [0.5]})
    marks = pd.Series(["", "Christmas", ""], index=history["ds"])
    items = readings.chart_items(history, last, "W", "GB", marks, partial, "the week of 2023-12-25 has 1 of 7 days "
                                 "in the data", "theta")
    assert english(items) == (
        "On the chart: the dotted grey line is the same weeks one year earlier; triangles mark weeks with a public "
        "holiday (GB calendar); squares mark the export's holiday or promotion weeks; hollow circles are partial "
        "weeks left out of the models: the week of 2023-12-25 has 1 of 7 days in the data; the thin dashed line is "
        "Theta's own forecast before the levels were made coherent.")
    nothing = readings.chart_items(history.drop(columns="flag"), last.assign(y=np.nan), "W", None, None,
                                   partial.iloc[0:0], None, None)
    assert nothing == ""
    hints = SimpleNamespace(reorder_now=True, notes=(notes.note(notes.LEAD_BEYOND), notes.note(notes.STOCK_LASTS)))
    assert english(readings.stock_reading(hints, 1234.4)) == (
        "Reading: 1,234 on hand is at or below the reorder point: reorder now (the lead time is longer than the "
        "forecast horizon: demand beyond it is taken at the forecast's average per period; the stock lasts beyond "
        "the forecast horizon).")
    calm = SimpleNamespace(reorder_now=False, notes=())
    assert english(readings.stock_reading(calm, 80)) == "Reading: 80 on hand is above the reorder point."
    assert zh(readings.stock_reading(calm, 80)).startswith("解读：当前在库 80，")


def test_the_stock_hints_take_one_period_error_of_the_model_shown():
    from types import SimpleNamespace

    from ecom_analytics.forecasting import readings

    resid = pd.DataFrame({"unique_id": ["A", "A", "B"], "model": ["naive", "theta", "theta"], "sigma1": [3.0, 2.0, 5.0]})
    result = SimpleNamespace(residual_scale=resid)
    assert readings.one_period_error(result, "A", "theta") == 2.0
    assert np.isnan(readings.one_period_error(result, "B", "naive"))
    coherent = SimpleNamespace(sigma1={"A": 1.5})
    assert readings.one_period_error(result, "A", "theta", coherent) == 1.5  # the coherent forecast's own errors
