"""Date axes in the analyst's language: Chinese tick and hover formats, English left to Plotly."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.charts import common, insights as charts
from ecom_analytics.charts.forecast import forecast_chart


def _series() -> pd.DataFrame:
    periods = pd.date_range("2024-01-01", periods=10, freq="W-MON")
    return pd.DataFrame({"period": periods, "revenue": range(10), "orders": range(10), "customers": range(10)})


def test_chinese_charts_write_dates_in_chinese_order():
    fig = charts.sales_over_time_chart(_series(), lang="zh")
    stops = {s.dtickrange[0]: s.value for s in fig.layout.xaxis.tickformatstops}
    assert stops["M1"] == "%Y年%-m月" and stops["M12"] == "%Y年"
    assert fig.layout.xaxis.hoverformat == "%Y年%-m月%-d日"
    assert "%{x|%Y年%-m月%-d日}" in fig.data[0].hovertemplate
    assert not fig.layout.yaxis.tickformatstops  # the revenue axis is not a date axis


def test_english_charts_keep_plotlys_dates():
    fig = charts.sales_over_time_chart(_series(), lang="en")
    assert not fig.layout.xaxis.tickformatstops
    assert "%{x|%Y-%m-%d}" in fig.data[0].hovertemplate


def test_forecast_chart_dates_and_charts_without_dates():
    history = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=6, freq="MS"), "y": [1.0] * 6})
    future = pd.DataFrame({"ds": pd.date_range("2024-07-01", periods=2, freq="MS"), "yhat": [1.0, 2.0],
                           **{f"{s}{lv}": [0.5, 3.0] if s == "hi" else [0.1, 0.2] for s in ("lo", "hi") for lv in (80, 95)}})
    assert forecast_chart(history, future, lang="zh").layout.xaxis.tickformatstops
    bars = charts.top_products_chart(pd.DataFrame({"product_id": ["1", "2"], "product_name": ["a", "b"], "revenue": [2.0, 1.0], "units": [1, 2], "orders": [1, 1], "customers": [1, 1]}), lang="zh")
    assert not bars.layout.xaxis.tickformatstops and not bars.layout.yaxis.tickformatstops


def test_iso_date_strings_count_as_dates():
    assert common.is_dates(["2024-01-05", "2024-01-06"])
    assert common.is_dates(["2024-01-05 10:00"])
    assert not common.is_dates(["Apple", "Bread"])
    assert not common.is_dates([1.5, 2.5])
    assert not common.is_dates([])


def test_a_legend_of_three_or_more_entries_sits_at_the_foot_below_the_axis_title():
    history = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=6, freq="MS"), "y": [1.0] * 6})
    future = pd.DataFrame({"ds": pd.date_range("2024-07-01", periods=2, freq="MS"), "yhat": [1.0, 2.0],
                           **{f"{s}{lv}": [0.5, 3.0] if s == "hi" else [0.1, 0.2] for s in ("lo", "hi") for lv in (80, 95)}})
    fig = forecast_chart(history, future, lang="en")  # actual, forecast and two bands: 4 entries
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    assert fig.layout.margin.b == 55 and fig.layout.height == 400 + 55  # the chart's 400 px + 55 px below (no x-axis title)
    two = charts.sales_over_time_chart(_series(), lang="en")  # one trace: the legend stays where Plotly puts it
    assert two.layout.legend.yref is None


def test_chinese_numeric_axes_in_full_with_separators_not_english_suffixes():
    """zh: 1,200,000 instead of Plotly's 1.2M; en: Plotly's own ticks; percentage formats are kept."""
    series = _series().assign(revenue=[1_200_000.0 * (i + 1) for i in range(10)])
    zh = charts.sales_over_time_chart(series, lang="zh")
    assert zh.layout.yaxis.exponentformat == "none" and zh.layout.yaxis.separatethousands is True
    en = charts.sales_over_time_chart(series, lang="en")
    assert en.layout.yaxis.exponentformat is None and en.layout.yaxis.separatethousands is None

    from ecom_analytics.charts.campaign import profit_chart

    profit = pd.DataFrame({"share": [0.1, 0.5, 1.0], "targeted": [10, 50, 100], "profit": [5_000.0, 20_000.0, -3_000.0]})
    fig = profit_chart(profit, 0.5, lang="zh")
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands is True


def test_chinese_numeric_x_axis_has_few_upright_ticks_and_dates_are_untouched():
    bars = charts.top_products_chart(pd.DataFrame({"product_id": ["1", "2"], "product_name": ["a", "b"],
                                                   "revenue": [20_000.0, 10_000.0], "units": [1, 2], "orders": [1, 1],
                                                   "customers": [1, 1]}), lang="zh")
    assert bars.layout.xaxis.nticks == 4 and bars.layout.xaxis.separatethousands is True
    line = charts.sales_over_time_chart(_series(), lang="zh")
    assert line.layout.xaxis.nticks is None  # a date axis keeps its ticks
    small = charts.top_products_chart(pd.DataFrame({"product_id": ["1", "2"], "product_name": ["a", "b"],
                                                    "revenue": [20.0, 10.0], "units": [1, 2], "orders": [1, 1],
                                                    "customers": [1, 1]}), lang="zh")
    assert small.layout.xaxis.nticks is None  # short numbers keep Plotly's ticks


def test_legends_moved_to_the_foot_stay_inside_the_figure():
    """A chart that changes its layout after _finish must not push a foot legend off the figure
    (a y below 0 measured on the whole figure hides it); the legend starts at the left edge (anchored
    by its right side at x = 0 it sat left of the plot and Plotly shrank the axes to make room)."""
    from ecom_analytics.charts.evaluation import loss_curves_chart
    from ecom_analytics.charts.recommend import metrics_chart

    history = [{"epoch": i, "loss": 1 / i, "val_loss": 1.1 / i, "auc": 0.5 + i / 100, "val_auc": 0.5 + i / 120}
               for i in range(1, 6)]
    board = pd.DataFrame({"model": ["ease", "als", "popularity"], "hit_rate": [0.3, 0.2, 0.1],
                          "precision": [0.1] * 3, "recall": [0.1] * 3, "ndcg": [0.1] * 3, "map": [0.1] * 3})
    for fig in (loss_curves_chart(history), metrics_chart(board)):
        legend = fig.layout.legend
        assert legend.yref == "container" and 0 <= legend.y <= 1, (fig.layout.title.text, legend.yref, legend.y)
        assert legend.x == 0 and legend.xanchor == "left"
        assert fig.layout.margin.b >= 55


def test_a_partial_last_month_is_drawn_dashed_apart_from_the_whole_months():
    import datetime as dt

    from ecom_analytics.insights.periods import partial_periods, Period

    months = pd.DataFrame({"period": pd.date_range("2011-09-01", periods=4, freq="MS"),
                           "revenue": [300.0, 310.0, 320.0, 90.0], "orders": 1, "customers": 1})
    partial = partial_periods(Period(dt.date(2011, 9, 1), dt.date(2011, 12, 9)), "month")  # December: 9 of 31 days
    fig = charts.sales_over_time_chart(months, "revenue", "month", partial=partial)
    whole, dashed = fig.data
    assert list(pd.to_datetime(whole.x)) == list(pd.date_range("2011-09-01", periods=3, freq="MS"))
    assert list(dashed.y) == [320.0, 90.0] and dashed.line.dash == "dash"  # from November's point to December's
    assert list(dashed.marker.size) == [0, 10] and list(dashed.customdata) == ["", "9 of 31 days"]
    zh = charts.sales_over_time_chart(months, "revenue", "month", partial=partial, lang="zh")
    assert zh.data[1].name == "不完整周期（只含部分天数）" and list(zh.data[1].customdata)[1] == "31 天中的 9 天"
    # nothing partial: one trace, as before
    assert len(charts.sales_over_time_chart(months.head(3), "revenue", "month", partial=[]).data) == 1


def test_cohort_cells_in_a_partial_month_are_veiled_and_starred():
    import datetime as dt

    from ecom_analytics.insights.periods import partial_periods, Period

    # cohorts 2011-10 and 2011-11 and 2011-12; the data ends on 2011-12-09: the cells of December are
    # (2011-10, month 2), (2011-11, month 1) and (2011-12, month 0)
    matrix = pd.DataFrame({0: [1.0, 1.0, 1.0], 1: [0.2, 0.1, None], 2: [0.05, None, None]},
                          index=["2011-10", "2011-11", "2011-12"])
    partial = partial_periods(Period(dt.date(2011, 10, 1), dt.date(2011, 12, 9)), "month")
    fig = charts.cohort_heatmap_chart(matrix, "retention", partial=partial)
    main, veil = fig.data
    assert [list(r) for r in veil.text] == [["", "", "5%*"], ["", "10%*", ""], ["100%*", "", ""]]
    assert [list(r) for r in main.text] == [["100%", "20%", ""], ["100%", "", ""], ["", "", ""]]
    assert len(charts.cohort_heatmap_chart(matrix, "retention", partial=[]).data) == 1
