"""AppTest: the Forecast page on the sample orders (real Online Retail subset, 2010-12 to 2011-12).

Weekly revenue of the sample has 52 complete weeks (the partial first and last weeks are left
out). To keep the runs fast the URL asks for three models, a horizon of 4 weeks and 2 windows.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 90
FAST = {"fc_models": ["Naive", "Seasonal naive", "Theta"], "fc_h": "4", "fc_windows": "2"}


def open_forecast(params: dict, monkeypatch, home: Path) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    at.switch_page("pages/forecast.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_shows_leaderboard_charts_and_inventory(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    at = open_forecast({"orders": orders_id, **FAST}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    board = at.dataframe[0].value
    assert set(board["label"]) == {"Naive (last value)", "Theta"}  # seasonal naive needs 52 weeks of history
    assert board["smape"].is_monotonic_increasing or board["mase"].is_monotonic_increasing
    assert (board["smape"] > 0).all() and board["coverage80"].between(0, 1).all()
    readings = [c.value for c in at.caption if c.value.startswith("Reading:")]
    assert len(readings) >= 4  # forecast, leaderboard, error by step, backtest
    assert any("Seasonal naive" in c.value and "left out" in c.value for c in at.caption)
    assert {m.label for m in at.metric} >= {"Demand during lead time", "Safety stock", "Reorder point"}
    assert at.get("download_button")  # the forecast CSV


def test_the_horizon_is_one_link_key_and_an_old_link_still_opens(sample_orders_home, monkeypatch):
    """One name per concept: the horizon's link key is fc_horizon; a link from before (fc_h) opens with
    its horizon, and the old key is dropped from the link."""
    home, orders_id = sample_orders_home
    old = open_forecast({"orders": orders_id, **FAST, "fc_h": "3"}, monkeypatch, home)
    assert old.number_input(key="fc_horizon").value == 3
    assert "fc_h" not in old.query_params
    new = open_forecast({"orders": orders_id, **{k: v for k, v in FAST.items() if k != "fc_h"}, "fc_horizon": "5"},
                        monkeypatch, home)
    assert new.number_input(key="fc_horizon").value == 5
    assert any("5 weeks" in c.value for c in new.caption if c.value.startswith("Reading:"))


def test_url_parameters_restore_the_view(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    params = {"orders": orders_id, **FAST, "fc_measure": "Units", "fc_level": "By product", "fc_top": "3",
              "fc_model": "Naive", "fc_lead": "21", "fc_stock": "500"}
    at = open_forecast(params, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="fc_measure").value == "units"
    assert at.selectbox(key="fc_level").value == "product"
    assert at.selectbox(key="fc_model").value == "naive"
    assert len(at.selectbox(key="fc_series").options) == 3
    assert at.number_input(key="fc_lead").value == 21
    assert "Expected stock-out" in {m.label for m in at.metric}
    first, second = at.selectbox(key="fc_series").options[:2]
    assert at.selectbox(key="fc_series").value == first.split(" · ")[0]
    # a link naming the second series opens on it
    again = open_forecast({**params, "fc_series": second}, monkeypatch, home)
    assert again.selectbox(key="fc_series").value == second.split(" · ")[0]
    assert again.number_input(key="fc_stock").value == 500


def test_empty_state_points_to_the_data_page(tmp_path, monkeypatch):
    at = open_forecast({}, monkeypatch, tmp_path / "empty")
    assert any("No orders loaded yet" in i.value for i in at.info)
    assert not at.dataframe


def test_a_sales_table_is_forecast_at_its_own_frequency(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    pattern = [0, 100, 200, 300, 400, 500, 600, 500, 400, 300, 200, 100]  # a strong yearly cycle, slow trend
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}-01,{1000 + 2 * i + pattern[i % 12]}" for i in range(48)]
    data = ("Month,Sales\n" + "\n".join(months) + "\n").encode()
    sales_id = pipeline.ingest(data, "monthly.csv", workspace=Workspace(home)).dataset_id
    at = open_forecast({"sales": sales_id, "fc_models": ["Naive", "Seasonal naive"], "fc_h": "6"}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    assert at.get("button_group")[0].proto.options[0].content == "month"  # no day or week for monthly data
    board = at.dataframe[0].value.set_index("label")
    # repeating last year beats repeating last month
    assert board.loc["Seasonal naive (same period last season)", "smape"] < board.loc["Naive (last value)", "smape"]


def test_a_two_month_export_gets_a_horizon_that_fits_and_no_stuck_status(tmp_path, monkeypatch):
    """Issue #17: two months of orders (7 complete weeks) failed with the default horizon of 8 weeks while the
    status still said "Backtesting…"; now the default horizon fits the history."""
    import pandas as pd

    from ecom_analytics.sample import SAMPLE_ORDERS as sample

    frame = pd.read_csv(sample)
    dates = pd.to_datetime(frame["InvoiceDate"])
    two = frame[(dates >= "2011-03-01") & (dates < "2011-05-01")]
    home = tmp_path / "ws"
    orders_id = pipeline.ingest(two.to_csv(index=False).encode(), "two_months.csv",
                                workspace=Workspace(home)).dataset_id
    at = open_forecast({"orders": orders_id, "fc_models": ["Naive", "Theta"]}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    horizon = at.number_input(key="fc_horizon").value
    # March-April 2011 hold 7 complete weeks (the partial first and last weeks are left out). 3 windows,
    # each after at least max(3, h) weeks of training: h = 8..4 leave none ((7 - h) // h = 0), h = 3 one
    # ((7 - 3) // 3), h = 2 two ((7 - 3) // 2); only h = 1 leaves three
    assert horizon == 1
    assert "(7 weeks)" in at.number_input(key="fc_horizon").help  # the help names the history it was fitted to
    assert at.dataframe, "the leaderboard is shown"
    assert any("on the 3 backtest windows" in c.value for c in at.caption)  # the backtest ran to the end


def test_the_forecast_chart_draws_last_year_and_holidays_and_auto_says_why(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    at = open_forecast({"orders": orders_id, "fc_models": ["Naive", "Theta", "Auto"], "fc_h": "4",
                        "fc_windows": "2", "fc_model": "Auto"}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    captions = [c.value for c in at.caption]
    on_chart = next(c for c in captions if c.startswith("On the chart:"))
    assert "one year earlier" in on_chart and "public holiday (GB calendar)" in on_chart
    # the sample runs Wednesday 2010-12-01 to Friday 2011-12-09: both edge weeks hold 5 of their 7 days
    assert ("hollow circles are partial weeks left out of the models: the week of 2010-11-29 has 5 of 7 days in the "
            "data, the week of 2011-12-05 has 5 of 7 days in the data") in on_chart
    assert any(c.startswith("Auto uses **") or c.startswith("Auto averages **") for c in captions)


def test_the_analyst_chooses_the_holiday_calendar(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    fast = {"orders": orders_id, "fc_models": ["Naive", "Theta"], "fc_h": "4", "fc_windows": "2"}
    at = open_forecast({**fast, "fc_holidays": "US"}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    on_chart = next(c.value for c in at.caption if c.value.startswith("On the chart:"))
    assert "(US calendar)" in on_chart
    at = open_forecast({**fast, "fc_holidays": "none"}, monkeypatch, home)
    assert not any("public holiday" in c.value for c in at.caption if c.value.startswith("On the chart:"))


def test_why_the_best_model_won_and_notes_that_agree(sample_orders_home, monkeypatch):
    """#17: the notes said "the history has 52" and "the history has 12" without saying that 12 is the earliest
    backtest window's training part; the page now says which history each figure is, and why the model won."""
    home, orders_id = sample_orders_home
    at = open_forecast({"orders": orders_id, "fc_models": ["Naive", "Seasonal naive", "Theta", "Auto"], "fc_h": "8",
                        "fc_windows": "3"}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    captions = [c.value for c in at.caption]
    # 52 complete weeks; 3 scored and 2 selection windows of 8: the earliest trains on 52 - 5 x 8 = 12 weeks,
    # the last scored one on 52 - 8 = 44
    assert ("Note: the history has 52 weeks; the backtest fits each model on the first 12 to 44 of them (one "
            "window after another), and the forecast ahead on all 52.") in " ".join(captions)
    # the model's own note names the part of the history it was fitted on, read against the line above
    assert any("the part of the history it was fitted on has 12." in c for c in captions)
    assert not any("the history has 12" in c for c in captions)
    why = next(c for c in captions if c.startswith("Why **"))
    board = at.dataframe[0].value
    best, second = board.iloc[0], board.iloc[1]
    assert f"MASE {best['mase']:.2f} against {second['mase']:.2f}" in why
    assert "on the 3 backtest windows of 8 weeks" in why and "of the 3 windows" in why


def test_coherent_levels_add_up_and_survive_a_link(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    params = {"orders": orders_id, "fc_models": ["Naive", "Theta"], "fc_h": "4", "fc_windows": "2",
              "fc_measure": "Revenue", "fc_level": "By country", "fc_top": "2", "fc_coherent": "MinT",
              "fc_model": "Theta"}
    at = open_forecast(params, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="fc_coherent").value == "mint"  # the option came back from the link
    series = at.selectbox(key="fc_series")
    assert series.options == ["Total", "United Kingdom", "EIRE", "Other (the rest)"]
    accuracy = at.dataframe[0].value
    assert accuracy["level"].tolist() == ["Total", "The 3 series below it (mean)"]
    assert accuracy[["smape_base", "smape", "mase_base", "mase"]].notna().all().all()
    reading = next(c.value for c in at.caption if "made to add up with MinT" in c.value)
    assert f"goes from {accuracy['smape_base'].iloc[0]:.1f} % as forecast to {accuracy['smape'].iloc[0]:.1f} %" in reading
    on_chart = next(c.value for c in at.caption if c.value.startswith("On the chart:"))
    assert "before the levels were made coherent" in on_chart
    # the download holds the coherent forecast: per week, the three series add up to the total to the cent
    button = at.get("download_button")[0]
    assert "coherent" in button.proto.label
    from ecom_analytics.forecasting.run import ForecastSettings
    from ecom_analytics.ui import forecast_cache

    settings = ForecastSettings(horizon=4, kind="orders", measure="revenue", by="country", freq="W", windows=2,
                                models=("naive", "theta"), series=2, holidays="auto", reconcile=True, neural_epochs=100)
    rec = forecast_cache.forecast_reconciled(orders_id, "orders", settings, "theta", "mint")
    wide = rec.forecast.pivot_table(index="ds", columns="unique_id", values="yhat")
    assert (wide.drop(columns="total").sum(axis=1) - wide["total"]).abs().max() < 0.005
    # bottom-up through a link
    again = open_forecast({**params, "fc_coherent": "Bottom-up"}, monkeypatch, home)
    assert again.selectbox(key="fc_coherent").value == "bottom_up"
    assert any("made to add up with Bottom-up" in c.value for c in again.caption)
    # a link made in Chinese opens with the same choice, and the page reads in Chinese
    zh = open_forecast({**params, "fc_coherent": "自下而上", "lang": "zh"}, monkeypatch, home)
    assert zh.selectbox(key="fc_coherent").value == "bottom_up"
    assert zh.dataframe[0].value["level"].tolist() == ["总计", "其下的 3 个序列（平均）"]
    assert any("方法做了一致化" in c.value for c in zh.caption)


def test_order_counts_are_not_made_coherent(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    at = open_forecast({"orders": orders_id, **FAST, "fc_measure": "Orders", "fc_level": "By country", "fc_top": "2",
                        "fc_coherent": "MinT"}, monkeypatch, home)
    assert not at.error
    assert any("Order counts cannot be made coherent" in i.value for i in at.info)
    assert not any("made to add up" in c.value for c in at.caption)


def test_orders_shorter_than_a_week_get_one_sentence_and_no_status(tmp_path, monkeypatch):
    """Four days of orders hold no complete week: the series cannot be built, the page says so once and stops
    (before, the page went on to the horizon box and failed on the missing history length)."""
    import pandas as pd

    from ecom_analytics.sample import SAMPLE_ORDERS

    frame = pd.read_csv(SAMPLE_ORDERS)
    dates = pd.to_datetime(frame["InvoiceDate"])
    days = frame[(dates >= "2011-03-01") & (dates < "2011-03-05")]  # Tuesday to Friday
    home = tmp_path / "ws"
    orders_id = pipeline.ingest(days.to_csv(index=False).encode(), "four_days.csv", workspace=Workspace(home)).dataset_id
    at = open_forecast({"orders": orders_id, "fc_freq": "week"}, monkeypatch, home)
    assert [e.value for e in at.error] == ["The orders span less than one full week; choose a shorter frequency."]
    assert not at.get("status") and not at.dataframe
