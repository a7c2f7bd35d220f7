"""Charts of the Evaluation page: functions that take the tables of :mod:`ecom_analytics.predict.evaluation`
and return a Plotly figure. No computing models, no Streamlit.

Dictionaries ``..._by_model`` map the name shown in the legend to that model's table.
``task`` ("purchase", "churn" or "revenue") only changes the words on the axes.

Each chart takes its words as ``text`` (those of :data:`EVALUATION_TEXT`, which the page passes in the
analyst's language); without it a chart shows :data:`EVALUATION_TEXT` through the catalogue of ``lang``
(the report's sections). ``lang`` also writes the numbers and dates.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ecom_analytics.charts.common import PALETTE, chart_words, finish
from ecom_analytics.i18n import fill

_GREY = "#9e9e9e"

#: the words on the evaluation charts, in English ({pos}, {neg}, {who}, {what}, {rate}, {fmt}, {t}, {n},
#: {metric}, {by}, {loss} are filled in by the chart; ``%{...}`` are Plotly's hover fields)
EVALUATION_TEXT = {
    "buyers": "buyers", "non_buyers": "non-buyers", "buyer": "buyer", "non_buyer": "non-buyer",
    "churners": "churners", "stayers": "customers who stay", "churner": "churner", "stayer": "stayer",
    "revenue": "revenue",
    "roc_random": "Random (AUC 0.50)",
    "roc_hover": "threshold %{{customdata:.3f}}<br>{pos} caught %{{y:.1%}}<br>{neg} flagged %{{x:.1%}}",
    "roc_x": "False positive rate (share of {neg} flagged)", "roc_y": "True positive rate (share of {pos} caught)",
    "roc_title": "ROC curve: {pos} caught vs {neg} wrongly flagged, as the threshold falls",
    "pr_random": "Random (base rate {rate:.1%})",
    "pr_hover": "threshold %{customdata:.3f}<br>recall %{x:.1%}<br>precision %{y:.1%}",
    "pr_x": "Recall (share of all {pos} flagged)", "pr_y": "Precision (share of flagged who are {pos})",
    "pr_title": "Precision-recall: how pure the flagged group stays as it catches more {pos}",
    "calibration_random": "Perfect calibration",
    "calibration_hover": "bin %{{customdata[0]}} (%{{customdata[1]:,}} customers)<br>predicted "
                         "%{{x:{fmt}}}<br>observed %{{y:{fmt}}}",
    "calibration_x_revenue": "Mean predicted revenue in the bin (currency)",
    "calibration_y_revenue": "Mean observed revenue in the bin (currency)",
    "calibration_title_revenue": "Calibration: observed vs predicted revenue per score bin",
    "calibration_x": "Mean predicted probability in the bin", "calibration_y": "Observed share of {pos} in the bin",
    "calibration_title": "Calibration: observed vs predicted probability per score bin",
    "gain_random": "Random targeting", "gain_hover": "top %{{x:.0%}} of customers<br>%{{y:.1%}} of the {what}",
    "gain_x": "Share of customers targeted, highest scores first", "gain_y": "Share of all {what} captured",
    "gain_title": "Cumulative gain: {what} captured by targeting the top-scored customers",
    "lift_mean_revenue": "mean revenue", "lift_share": "share of {pos}",
    "lift_hover": "decile %{{x}}: lift %{{y:.2f}}<br>%{{customdata[0]:,}} customers, {rate} %{{customdata[1]:{fmt}}}",
    "lift": "Lift", "lift_random": "random = 1", "lift_x": "Score decile (1 = highest scores)",
    "lift_y": "Lift ({rate} in the decile / overall)",
    "lift_title": "Lift by score decile: how many times the average each decile does",
    "true_positive": "true positive", "false_negative": "false negative", "false_positive": "false positive",
    "true_negative": "true negative", "predicted": "predicted {who}", "actual": "actual {who}",
    "confusion_hover": "%{y}, %{x}: %{z:,} customers", "confusion_y": "Outcome in the test window",
    "confusion_x": "Model's call",
    "confusion_title_at": "Confusion matrix at threshold {t:.2f}: customers per (outcome, call)",
    "confusion_title": "Confusion matrix: customers per (outcome, call)",
    "importance_mae": "Rise in MAE when shuffled (currency)", "importance_auc": "Drop in ROC AUC when shuffled",
    "importance": "Importance",
    "importance_title": "Permutation importance: what the model loses without each feature (top {n})",
    "slice_roc_auc": "ROC AUC (0.5 = coin toss)", "slice_mae": "Mean absolute error (currency)",
    "slice_positive_rate": "Positive rate", "slice_mean_revenue": "Mean revenue (currency)",
    "slice_hover": "%{y}: %{x:.3f}<br>%{customdata[0]:,.0f} customers<br>%{customdata[1]}",
    "slice_weak": "weak below 0.6", "slice_by_slice": "slice", "slice_by_country": "country",
    "slice_by_RFM segment": "RFM segment",
    "slice_title": "{metric} by {by} (red: weak; sand: well below the overall; grey: too few customers to judge)",
    "loss_mae": "MAE on log(1 + revenue)", "loss_mse": "MSE on log(1 + revenue)", "loss_bce": "Binary cross-entropy",
    "loss_title": "Loss ({loss})", "metric": "Metric", "training_loss": "Training loss",
    "validation_loss": "Validation loss", "training_metric": "Training {metric}",
    "validation_metric": "Validation {metric}", "best_epoch": "best epoch {n}", "epoch": "Epoch",
    "loss_chart_title": "Neural model training: loss and metric per epoch (training vs validation)",
}
#: the keys of :data:`EVALUATION_TEXT` naming the positives and negatives of each task: (plural, plural,
#: singular, singular)
_NOUNS = {"purchase": ("buyers", "non_buyers", "buyer", "non_buyer"),
          "churn": ("churners", "stayers", "churner", "stayer"),
          "revenue": ("buyers", "non_buyers", "buyer", "non_buyer")}


def _words(text: Mapping[str, str] | None, lang: str) -> dict[str, str]:
    return chart_words(EVALUATION_TEXT, text, lang)


def _closest(fig: go.Figure) -> go.Figure:
    """Hover on the nearest point (the house default, x unified, mixes models whose curves
    have different x values)."""
    fig.update_layout(hovermode="closest")
    return fig


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _finite(values) -> np.ndarray:
    """Floats with +-inf as NaN (Plotly hover shows NaN as blank, inf as a huge number)."""
    arr = np.asarray(values, dtype=float)
    return np.where(np.isfinite(arr), arr, np.nan)


def _diagonal(fig: go.Figure, name: str, x1: float = 1.0, y1: float = 1.0, **kw) -> None:
    fig.add_trace(go.Scatter(x=[0, x1], y=[0, y1], mode="lines", name=name, hoverinfo="skip",
                             line=dict(color=_GREY, dash="dash", width=1)), **kw)


def roc_chart(points_by_model: dict[str, pd.DataFrame], aucs: dict[str, float], *,
              task: str = "purchase", lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """ROC curves (from :func:`evaluation.roc_points`) of each model, with the coin-toss diagonal."""
    words = _words(text, lang)
    pos, neg = (words[noun] for noun in _NOUNS[task][:2])
    fig = go.Figure()
    _diagonal(fig, words["roc_random"])
    for i, (name, pts) in enumerate(points_by_model.items()):
        auc = aucs.get(name, float("nan"))
        label = f"{name} (AUC {auc:.3f})" if np.isfinite(auc) else name
        fig.add_trace(go.Scatter(x=pts["fpr"], y=pts["tpr"], mode="lines", name=label, line=dict(color=_colour(i)),
                                 customdata=_finite(pts["threshold"]),
                                 hovertemplate=name + "<br>" + fill(words["roc_hover"], lang, pos=pos, neg=neg)
                                 + "<extra></extra>"))
    fig.update_xaxes(title=fill(words["roc_x"], lang, neg=neg), tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title=fill(words["roc_y"], lang, pos=pos), tickformat=".0%", range=[0, 1.02])
    return _closest(finish(fig, fill(words["roc_title"], lang, pos=pos, neg=neg), height=420, lang=lang))


def pr_chart(points_by_model: dict[str, pd.DataFrame], base_rate: float, *, task: str = "purchase",
             lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Precision-recall curves (from :func:`evaluation.pr_points`) with the base rate as the random line."""
    words = _words(text, lang)
    pos = words[_NOUNS[task][0]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[base_rate, base_rate], mode="lines", hoverinfo="skip",
                             name=fill(words["pr_random"], lang, rate=base_rate),
                             line=dict(color=_GREY, dash="dash", width=1)))
    for i, (name, pts) in enumerate(points_by_model.items()):
        fig.add_trace(go.Scatter(x=pts["recall"], y=pts["precision"], mode="lines", name=name,
                                 line=dict(color=_colour(i)), customdata=_finite(pts["threshold"]),
                                 hovertemplate=name + "<br>" + words["pr_hover"] + "<extra></extra>"))
    fig.update_xaxes(title=fill(words["pr_x"], lang, pos=pos), tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title=fill(words["pr_y"], lang, pos=pos), tickformat=".0%", range=[0, 1.02])
    return _closest(finish(fig, fill(words["pr_title"], lang, pos=pos), height=420, lang=lang))


def calibration_chart(table_by_model: dict[str, pd.DataFrame], *, task: str = "purchase",
                      lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Reliability curves (from :func:`evaluation.calibration_table`): observed vs predicted per
    score bin, with the diagonal of perfect calibration."""
    words = _words(text, lang)
    revenue = task == "revenue"
    top = 0.0
    for table in table_by_model.values():
        if len(table):
            top = max(top, float(table["mean_predicted"].max()), float(table["observed_rate"].max()))
    top = top if revenue else max(top, 1e-9)
    fig = go.Figure()
    _diagonal(fig, words["calibration_random"], x1=top or 1.0, y1=top or 1.0)
    fmt = ",.2f" if revenue else ".1%"
    for i, (name, table) in enumerate(table_by_model.items()):
        fig.add_trace(go.Scatter(x=table["mean_predicted"], y=table["observed_rate"], mode="lines+markers",
                                 name=name, line=dict(color=_colour(i)),
                                 customdata=np.stack([table["bin"], table["customers"]], -1),
                                 hovertemplate=name + "<br>" + fill(words["calibration_hover"], lang, fmt=fmt)
                                 + "<extra></extra>"))
    if revenue:
        fig.update_xaxes(title=words["calibration_x_revenue"], tickformat=",.0f")
        fig.update_yaxes(title=words["calibration_y_revenue"], tickformat=",.0f")
        title = words["calibration_title_revenue"]
    else:
        fig.update_xaxes(title=words["calibration_x"], tickformat=".0%")
        fig.update_yaxes(title=fill(words["calibration_y"], lang, pos=words[_NOUNS[task][0]]), tickformat=".0%")
        title = words["calibration_title"]
    return _closest(finish(fig, title, height=420, lang=lang))


def gain_chart(gain_by_model: dict[str, pd.DataFrame], *, task: str = "purchase", lang: str = "en",
               text: Mapping[str, str] | None = None) -> go.Figure:
    """Cumulative gain (from :func:`evaluation.gain_table`): share of the positives (or revenue)
    captured vs share of customers targeted, best scores first, with the random line."""
    words = _words(text, lang)
    what = words["revenue" if task == "revenue" else _NOUNS[task][0]]
    fig = go.Figure()
    _diagonal(fig, words["gain_random"])
    for i, (name, table) in enumerate(gain_by_model.items()):
        x = np.concatenate([[0.0], table["cumulative_share_of_customers"].to_numpy(dtype=float)])
        y = np.concatenate([[0.0], table["cumulative_gain"].to_numpy(dtype=float)])
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=name, line=dict(color=_colour(i)),
                                 hovertemplate=name + "<br>" + fill(words["gain_hover"], lang, what=what)
                                 + "<extra></extra>"))
    fig.update_xaxes(title=words["gain_x"], tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title=fill(words["gain_y"], lang, what=what), tickformat=".0%", range=[0, 1.02])
    return _closest(finish(fig, fill(words["gain_title"], lang, what=what), height=420, lang=lang))


def lift_chart(gain_table: pd.DataFrame, *, task: str = "purchase", lang: str = "en",
               text: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of lift per decile (from :func:`evaluation.gain_table`) with the random level 1."""
    words = _words(text, lang)
    rate_fmt = ",.2f" if task == "revenue" else ".1%"
    rate_word = words["lift_mean_revenue"] if task == "revenue" else \
        fill(words["lift_share"], lang, pos=words[_NOUNS[task][0]])
    fig = go.Figure(go.Bar(x=gain_table["decile"].astype(str), y=gain_table["lift"], marker_color=PALETTE[0],
                           customdata=np.stack([gain_table["customers"], gain_table["rate"]], -1),
                           hovertemplate=fill(words["lift_hover"], lang, rate=rate_word, fmt=rate_fmt)
                           + "<extra></extra>", name=words["lift"]))
    fig.add_hline(y=1, line=dict(color=_GREY, dash="dash", width=1), annotation_text=words["lift_random"],
                  annotation_position="top right")
    fig.update_xaxes(title=words["lift_x"], type="category")
    fig.update_yaxes(title=fill(words["lift_y"], lang, rate=rate_word))
    fig.update_layout(showlegend=False)
    return _closest(finish(fig, words["lift_title"], height=360, lang=lang))


def confusion_chart(confusion: dict, *, task: str = "purchase", lang: str = "en",
                    text: Mapping[str, str] | None = None) -> go.Figure:
    """2 x 2 annotated heatmap of a :func:`evaluation.confusion_at` result (customers per cell)."""
    words = _words(text, lang)
    one, other = (words[noun] for noun in _NOUNS[task][2:])
    z = np.array([[confusion["tp"], confusion["fn"]], [confusion["fp"], confusion["tn"]]], dtype=float)
    total = z.sum() or 1.0
    names = [[words["true_positive"], words["false_negative"]], [words["false_positive"], words["true_negative"]]]
    cells = [[f"{int(v):,}<br>{v / total:.1%}<br>{names[r][c]}" for c, v in enumerate(row)] for r, row in enumerate(z)]
    fig = go.Figure(go.Heatmap(z=z, x=[fill(words["predicted"], lang, who=one), fill(words["predicted"], lang, who=other)],
                               y=[fill(words["actual"], lang, who=one), fill(words["actual"], lang, who=other)],
                               text=cells, texttemplate="%{text}", colorscale="Blues", showscale=False,
                               hovertemplate=words["confusion_hover"] + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=words["confusion_y"])
    fig.update_xaxes(title=words["confusion_x"], side="bottom")
    t = confusion.get("threshold")
    title = fill(words["confusion_title_at"], lang, t=t) if t is not None else words["confusion_title"]
    return _closest(finish(fig, title, height=340, lang=lang))


def importance_chart(importance_df: pd.DataFrame, top: int = 15, *, metric: str = "roc_auc",
                     lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of permutation importance (from :func:`evaluation.permutation_importance`)
    for the ``top`` features, with the spread over repeats as error bars."""
    words = _words(text, lang)
    frame = importance_df.head(top).iloc[::-1]
    unit = words["importance_mae" if metric == "mae" else "importance_auc"]
    fig = go.Figure(go.Bar(x=frame["importance"], y=frame["feature"], orientation="h", marker_color=PALETTE[1],
                           error_x=dict(type="data", array=frame["std"], color=_GREY, thickness=1),
                           hovertemplate="%{y}: %{x:.4f}<extra></extra>", name=words["importance"]))
    fig.update_xaxes(title=unit)
    fig.update_yaxes(title="")
    fig.update_layout(showlegend=False)
    title = fill(words["importance_title"], lang, n=len(frame))
    return _closest(finish(fig, title, height=max(300, 26 * len(frame) + 110), lang=lang))


def slice_chart(slice_df: pd.DataFrame, metric: str, *, by: str = "slice", lang: str = "en",
                text: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of ``metric`` ("roc_auc", "mae", "positive_rate" or "mean_revenue") per slice (from
    :func:`evaluation.slice_metrics`): weak slices in a warning colour, slices too small to judge in
    grey, the flag on hover. Slices without a value (one outcome only) have no bar and are left to
    the table."""
    words = _words(text, lang)
    labels = {m: words[f"slice_{m}"] for m in ("roc_auc", "mae", "positive_rate", "mean_revenue")}
    shown = slice_df[pd.to_numeric(slice_df[metric], errors="coerce").notna()]
    frame = (shown if len(shown) else slice_df).iloc[::-1]
    flags = frame["flag"].fillna("")
    small = flags.str.startswith("too few customers")
    weak = flags.str.contains("weak")  # AUC below WEAK_AUC, or MAE far above the overall
    colours = np.where(small, "#c8c8c8", np.where(weak, PALETTE[1], np.where(flags != "", PALETTE[2], PALETTE[0])))
    flag_text = frame["flag"].fillna("").replace("", "ok")
    fig = go.Figure(go.Bar(x=frame[metric], y=frame["group"].astype(str), orientation="h", marker_color=colours,
                           customdata=np.stack([frame["customers"].astype(float),
                                                flag_text.to_numpy(dtype=object)], -1),
                           hovertemplate=words["slice_hover"] + "<extra></extra>", name=labels.get(metric, metric)))
    if metric == "roc_auc":
        fig.add_vline(x=0.5, line=dict(color=_GREY, dash="dot", width=1))
        fig.add_vline(x=0.6, line=dict(color=PALETTE[1], dash="dash", width=1), annotation_text=words["slice_weak"])
        fig.update_xaxes(range=[0, 1])
    if metric == "positive_rate":
        fig.update_xaxes(tickformat=".0%")
    fig.update_xaxes(title=labels.get(metric, metric))
    fig.update_yaxes(title="", type="category")
    fig.update_layout(showlegend=False)
    title = fill(words["slice_title"], lang, metric=labels.get(metric, metric).split(" (")[0].split("（")[0],
                 by=words.get(f"slice_by_{by}", by))
    return _closest(finish(fig, title, height=max(300, 26 * len(frame) + 110), lang=lang))


def loss_curves_chart(history: list[dict], lang: str = "en", best: int | None = None,
                      text: Mapping[str, str] | None = None) -> go.Figure:
    """Training and validation loss per epoch (left) and the tracked metric (right) of the neural
    model, from its history (dicts with ``epoch, loss, val_loss`` and e.g. ``auc, val_auc`` or
    ``mae, val_mae``); a dotted line marks ``best``, the best epoch (lowest validation loss, from
    :func:`ecom_analytics.predict.evaluation.best_epoch`), whose weights are kept."""
    words = _words(text, lang)
    frame = pd.DataFrame(history)
    if "epoch" not in frame:
        frame["epoch"] = np.arange(1, len(frame) + 1)
    skip = {"epoch", "loss", "val_loss", "seconds"}
    metric = next((c for c in frame.columns if c not in skip and not str(c).startswith("val_")), None)
    metric_names = {"auc": "ROC AUC", "mae": words["loss_mae"]}
    metric_label = metric_names.get(metric, metric) if metric else ""
    loss_label = words["loss_mse" if metric == "mae" else "loss_bce"]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(fill(words["loss_title"], lang, loss=loss_label),
                                                        metric_label or words["metric"]),
                        horizontal_spacing=0.12)
    series = [("loss", words["training_loss"], 1, 0, "solid"), ("val_loss", words["validation_loss"], 1, 1, "dash")]
    if metric:
        series += [(metric, fill(words["training_metric"], lang, metric=metric_label), 2, 0, "solid"),
                   (f"val_{metric}", fill(words["validation_metric"], lang, metric=metric_label), 2, 1, "dash")]
    for key, name, col, colour, dash in series:
        if key in frame and len(frame):
            fig.add_trace(go.Scatter(x=frame["epoch"], y=frame[key], mode="lines", name=name,
                                     line=dict(color=_colour(colour), dash=dash)), row=1, col=col)
    if best is not None and len(frame):  # the best epoch the caption under the chart names (evaluation.best_epoch)
        for col in (1, 2):
            fig.add_vline(x=best, line=dict(color=_GREY, dash="dot", width=1), row=1, col=col)
        # inside the loss plot's top, right of the line (above it, it ran into the subplot title);
        # the loss has fallen to the bottom of the plot by then
        fig.add_annotation(x=best, y=1, yref="y domain", xref="x", text=fill(words["best_epoch"], lang, n=best),
                           showarrow=False, yanchor="top", xanchor="left", xshift=4, font=dict(size=11, color=_GREY))
    # whole epochs only (Plotly's automatic ticks write 1.2, 1.4 on a short run)
    fig.update_xaxes(title=words["epoch"], tickformat="d",
                     **({"dtick": 1} if len(frame) <= 10 else {}))
    fig.update_yaxes(title=loss_label, row=1, col=1)
    fig.update_yaxes(title=metric_label, row=1, col=2)
    fig = finish(fig, words["loss_chart_title"], height=430, lang=lang)
    # two subplot titles sit under the figure title (the legend is at the foot, placed by _finish)
    fig.update_layout(margin=dict(t=90))
    return fig
