"""The PDF report: the same sections as the HTML one, with each Plotly chart redrawn from its own numbers."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.report.pdf import build_pdf_report, draw_figure

DATASET = {"name": "shop.csv", "kind": "orders", "dataset_id": "0123456789abcdef",
           "report": {"cleaning": {"rows_in": 10, "rows_clean": 8, "rows_quarantined": 2, "revenue_in": 100.0,
                                   "revenue_clean": 90.0, "reconciles": True,
                                   "rules": [{"rule": "duplicate", "quarantined": 2, "revenue_quarantined": 10.0,
                                              "description": "exact repeats"}]}}}


def test_lines_bands_and_bars_keep_their_numbers():
    band = go.Figure([go.Scatter(x=[1, 2, 3], y=[1.0, 2.0, 3.0], mode="lines", name="low"),
                      go.Scatter(x=[1, 2, 3], y=[9.0, 9.0, 9.0], mode="lines", line=dict(width=0)),
                      go.Scatter(x=[1, 2, 3], y=[1.0, 2.0, 3.0], mode="lines", line=dict(width=0)),
                      go.Scatter(x=[1, 2, 3], y=[3.0, 4.0, 5.0], mode="lines", fill="tonexty", name="80 %"),
                      go.Scatter(x=[1, 2, 3], y=[2.0, 3.0, 4.0], mode="lines+markers", name="forecast")],
                     layout=dict(title="Forecast", xaxis_title="week", yaxis_title="revenue"))
    fig, ax = plt.subplots()
    draw_figure(band, ax)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["forecast"].get_ydata()) == [2.0, 3.0, 4.0]
    assert list(lines["low"].get_ydata()) == [1.0, 2.0, 3.0]
    assert len(lines) == 2  # band edges drawn with zero width stay invisible
    filled = ax.collections[0].get_paths()[0].vertices
    assert filled[:, 1].min() == 1.0 and filled[:, 1].max() == 5.0  # the band spans lower to upper
    assert ax.get_title(loc="left") == "Forecast" and ax.get_xlabel() == "week" and ax.get_ylabel() == "revenue"
    plt.close(fig)

    bars = go.Figure(go.Bar(x=[5, 7], y=["A", "B"], orientation="h"))
    fig, ax = plt.subplots()
    draw_figure(bars, ax)
    assert sorted(p.get_width() for p in ax.patches) == [5.0, 7.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]  # bottom to top, as Plotly draws them
    plt.close(fig)


def test_date_strings_become_dates_and_unknown_traces_are_named():
    fig_in = go.Figure([go.Scatter(x=["2024-01-01", "2024-01-08"], y=[1, 2], mode="lines"),
                        go.Pie(labels=["a"], values=[1])])
    fig, ax = plt.subplots()
    draw_figure(fig_in, ax)
    xs = ax.get_lines()[0].get_xdata()
    assert pd.Timestamp(xs[1]) - pd.Timestamp(xs[0]) == pd.Timedelta(days=7)
    assert any("not drawn: pie" in t.get_text() for t in ax.texts)
    plt.close(fig)

    stamps = pd.to_datetime(["2024-01-01", "2024-02-01"]).to_numpy()  # datetime64[ns], as pandas columns give
    fig, ax = plt.subplots()
    draw_figure(go.Figure(go.Scatter(x=stamps, y=[1, 2], fillcolor="rgba(31,119,180,0.3)", fill="tozeroy")), ax)
    path = ax.collections[0].get_paths()[0].vertices
    assert pd.Timestamp(matplotlib.dates.num2date(path[:, 0].max())).year == 2024  # dates, not nanoseconds
    assert tuple(round(c, 3) for c in ax.collections[0].get_facecolor()[0]) == (round(31 / 255, 3), round(119 / 255, 3),
                                                                               round(180 / 255, 3), 0.3)
    plt.close(fig)


def test_pdf_has_a_page_per_section():
    chart = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout=dict(title="Sales"))
    segments = pd.DataFrame({"segment": ["Champions"], "customers": [3], "customer_share": [0.5], "revenue": [70.0],
                             "revenue_share": [0.7], "median_recency_days": [4.0], "median_orders": [5.0]})
    board = pd.DataFrame({"model": ["neural"], "label": ["Neural network"], "roc_auc": [0.75]})
    pdf = build_pdf_report(title="Report", dataset=DATASET, kpis={"revenue": 90.0, "orders": 4, "customers": 2,
                                                                  "aov": 22.5, "repeat_rate": 0.5},
                           charts=[chart, chart, chart], segments=segments, leaderboard=board,
                           model_charts=[chart], sections=[("Forecast", [chart], None, "")])
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    # summary + 2 sales pages (2 charts each) + segments + the one-row leaderboard with the model chart below
    # it (no half-empty page) + forecast chart
    assert pages == 6


def test_the_treemap_drawn_as_bars_is_not_titled_by_area():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ecom_analytics.charts.insights import rfm_treemap_chart

    summary = pd.DataFrame({"segment": ["Champions", "At risk"], "customers": [30, 10], "customer_share": [0.75, 0.25],
                            "revenue": [900.0, 100.0], "revenue_share": [0.9, 0.1], "median_recency_days": [5.0, 200.0],
                            "median_orders": [6.0, 2.0]})
    fig, ax = plt.subplots()
    draw_figure(rfm_treemap_chart(summary), ax)
    assert ax.get_title(loc="left") == "RFM segments: customers per segment (bar length)"
    plt.close(fig)
