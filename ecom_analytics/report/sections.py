"""The report's content, computed from the data: what the Report page and the ``report`` command send.

Two layers, so the page can cache what takes time and the command line builds the same report:

- ``*_result`` functions compute a capability's result from the tables with the Report page's
  default settings (:data:`FORECAST`, :data:`RECOMMEND`, :data:`CLV`); the page gets the same
  results from its cached loaders (same functions, same settings).
- ``*_section`` functions turn a result into a section ``(heading, Plotly figures, table or None,
  note)`` in ``lang``, the report's language; :func:`overview_parts` and :func:`model_parts` make
  the fixed parts (sales charts, RFM segments, the latest model) and :func:`report_content` puts
  everything together as the keyword arguments of :func:`ecom_analytics.report.html.build_report`
  and :func:`ecom_analytics.report.pdf.build_pdf_report`.

No Streamlit here. Aggregates only: no customer ids reach a section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ecom_analytics.charts import clv as charts_clv, evaluation as charts_eval, forecast as charts_forecast
from ecom_analytics.charts import insights as charts_insights, recommend as charts_recommend
from ecom_analytics.errors import InputError
from ecom_analytics.i18n import format_date, format_number, format_percent, translate

Section = tuple[str, list, pd.DataFrame | None, str]
#: the recommenders' metrics in the report's leaderboard, with their column names (before "@k")
METRICS = {"ndcg": "NDCG", "hit_rate": "hit rate", "precision": "precision", "recall": "recall", "map": "MAP"}
#: the Report page's default settings of each section (the CLI's ``report`` uses the same)
FORECAST = {"horizon": 8, "windows": 3, "freq": "W", "top_n": 10}
RECOMMEND = {"horizon": 30, "k": 10}
CLV = {"months": 12, "discount_rate": 0.01}
#: the optional sections, in the order the report shows them
SECTIONS = ("forecast", "recommend", "clv")


# --- results, computed with the page's defaults ---------------------------------------------------

def forecast_models() -> tuple[str, ...]:
    """The forecasting models the report backtests (the Forecast page's defaults), sorted."""
    from ecom_analytics.forecasting import DEFAULT_MODELS

    return tuple(sorted(DEFAULT_MODELS))


def recommend_models() -> tuple[str, ...]:
    """The recommenders the report ranks (the Recommendations page's defaults), sorted."""
    from ecom_analytics.recommend import DEFAULT_MODELS

    return tuple(sorted(DEFAULT_MODELS))


def forecast_settings():
    """The report's forecast as the Forecast page's settings (so the page's cached run is reused):
    total revenue per week, 8 weeks ahead, 3 backtest windows, the default models."""
    from ecom_analytics.forecasting.run import ForecastSettings

    return ForecastSettings(horizon=FORECAST["horizon"], kind="orders", measure="revenue", by="total",
                            freq=FORECAST["freq"], windows=FORECAST["windows"], models=forecast_models(),
                            series=FORECAST["top_n"], holidays="auto", reconcile=False, neural_epochs=100)


def recommend_settings():
    """The report's recommendations as the Recommendations page's settings: 30 days held out, 10
    products per customer, the default recommenders."""
    from ecom_analytics.recommend.run import RecommendSettings

    return RecommendSettings(horizon=RECOMMEND["horizon"], k=RECOMMEND["k"], models=recommend_models(),
                             merchandise_only=False)


def forecast_result(orders: pd.DataFrame, horizon: int = FORECAST["horizon"], windows: int = FORECAST["windows"],
                    freq: str = FORECAST["freq"]):
    """Total revenue per ``freq`` period backtested and forecast ``horizon`` periods ahead by the
    default models (a :class:`ecom_analytics.forecasting.ForecastResult`)."""
    from ecom_analytics.forecasting import build_series, run_forecast

    series = build_series(orders, "revenue", "total", freq, top_n=FORECAST["top_n"])
    return run_forecast(series, list(forecast_models()), horizon, windows, neural_params={"epochs": 100},
                        country=None)


def recommend_tables(orders: pd.DataFrame, events: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Interactions (orders as purchases; views, carts and wishlists from events) and the catalogue."""
    from ecom_analytics.recommend import build_interactions, product_catalogue

    if events is not None:
        events = events[events["event_type"] != "purchase"]  # purchases come from the orders
    return build_interactions(orders, events), product_catalogue(orders, events)


def recommend_result(orders: pd.DataFrame, events: pd.DataFrame | None, horizon: int = RECOMMEND["horizon"],
                     k: int = RECOMMEND["k"]):
    """The recommenders ranked on the time split of the last ``horizon`` days, with the best one's
    top ``k`` per customer (a :class:`ecom_analytics.recommend.RecommendRun`)."""
    from ecom_analytics.recommend import run_recommend

    interactions, catalogue = recommend_tables(orders, events)
    return run_recommend(interactions, horizon, k, list(recommend_models()), catalogue=catalogue)


def clv_results(orders: pd.DataFrame, months: int = CLV["months"], discount_rate: float = CLV["discount_rate"]):
    """``(value, check)``: lifetime value fitted on all the orders, and the same models fitted up to
    the default calibration end and checked on the orders after it (both ``ClvRun``, in weeks)."""
    from ecom_analytics.predict.clv import default_calibration_end, run_clv

    value = run_clv(orders, None, "weeks", months, discount_rate)
    check = run_clv(orders, default_calibration_end(orders, months), "weeks", months, discount_rate)
    return value, check


# --- sections --------------------------------------------------------------------------------------

def forecast_section(result, horizon: int = FORECAST["horizon"], windows: int = FORECAST["windows"],
                     freq: str = FORECAST["freq"], lang: str = "en") -> Section:
    """Total revenue per week: the best backtest model's forecast with its 80/95 % intervals,
    and the backtest leaderboard."""
    from ecom_analytics.forecasting import FREQ_LABELS, MODEL_LABELS
    from ecom_analytics.forecasting.notes import span

    best = result.best_model
    best_label = translate(MODEL_LABELS[best], lang)
    uid = result.series.ids[0]
    future = result.forecast[(result.forecast["unique_id"] == uid) & (result.forecast["model"] == best)]
    unit = translate(FREQ_LABELS[freq], lang)
    span_words = translate(span(horizon, freq), lang)  # "1 week" / "8 weeks", by the language's plural rule
    figure = charts_forecast.forecast_chart(
        result.series.one(uid), future, "revenue",
        translate("Revenue per {unit}: {model}, next {span}", lang, unit=unit, model=best_label,
                  span=span_words), lang=lang)
    board = result.leaderboard[["label", "mase", "smape", "coverage80", "coverage95"]].copy()
    board.columns = ["model", "MASE", "sMAPE %", "in 80 % band", "in 95 % band"]
    board["model"] = board["model"].map(lambda label: translate(label, lang))
    for col in ("MASE", "sMAPE %"):
        board[col] = board[col].map(lambda v: format_number(v, lang, 2))
    for col in ("in 80 % band", "in 95 % band"):
        board[col] = board[col].map(lambda v: "" if pd.isna(v) else format_percent(v, lang, 0))
    board.columns = [translate(c, lang) for c in board.columns]
    note = translate("Best on a rolling backtest of {windows} windows of {span}: {model}. It expects "
                     "{total:,.0f} in revenue over the next {span}; the bands are where the actuals fell "
                     "80 % and 95 % of the time in the backtest.", lang, windows=windows, span=span_words,
                     model=best_label, total=future["yhat"].sum())
    return translate("Sales forecast", lang), [figure], board, note


def recommend_section(run, horizon: int = RECOMMEND["horizon"], k: int = RECOMMEND["k"], lang: str = "en") -> Section:
    """The recommenders' leaderboard on the time split and the products recommended most often
    (counts of customers, no customer ids)."""
    board = run.leaderboard[["label", *METRICS, "coverage"]].copy()
    board["label"] = board["label"].map(lambda label: translate(label, lang))
    for col in METRICS:
        board[col] = board[col].map(lambda v: format_number(v, lang, 4))
    board["coverage"] = board["coverage"].map(lambda v: format_percent(v, lang, 0))
    board.columns = [translate("model", lang), *(f"{translate(name, lang)}@{k}" for name in METRICS.values()),
                     translate("coverage", lang)]
    best = run.leaderboard.iloc[0]
    recs = run.recommendations
    top = (recs.groupby(["product_id", "product_name"], dropna=False)["customer_id"].nunique()
           .sort_values(ascending=False).head(10))
    top_text = translate("; ", lang).join(  # a list separator: "；" in Chinese
        translate("{name} ({n:,} customers)", lang, name=name if isinstance(name, str) and name else pid, n=n)
        for (pid, name), n in top.items())
    note = translate("Trained on the data before {cutoff} and scored on the {n:,} customers who bought something new "
                     "to them in the {horizon} days after: {model} ranks best, {hit_rate:.0%} of them bought at least "
                     "one of its {k} products (NDCG@{k} {ndcg:.3f}). Refit on all the data, it recommends most often: "
                     "{top}.", lang, cutoff=format_date(run.split.cutoff, lang), n=run.users_evaluated,
                     horizon=horizon, model=translate(best["label"], lang), hit_rate=best["hit_rate"], k=k,
                     ndcg=best["ndcg"], top=top_text)
    return (translate("Product recommendations", lang),
            [charts_recommend.leaderboard_chart(run.leaderboard, "ndcg", k, lang=lang)], board, note)


def clv_section(value, check, months: int = CLV["months"], discount_rate: float = CLV["discount_rate"],
                lang: str = "en") -> Section:
    """Customer lifetime value as the Predictions page computes it (its default settings): the
    value by decile of customers (aggregates only, no customer ids), the models checked on held-out
    orders (predicted against actual spend by decile) and its reading. ``value`` and ``check`` as
    :func:`clv_results` gives them."""
    from ecom_analytics.predict.clv import evaluation_reading, value_deciles

    customers = value.customers
    table = value_deciles(customers)
    shown = pd.DataFrame({
        translate("Decile", lang): table["decile"].astype(str),
        translate("Customers", lang): table["customers"].map(lambda v: format_number(v, lang)),
        translate("Lifetime value", lang): table["clv"].map(lambda v: format_number(v, lang, 2)),
        translate("Share of lifetime value", lang): table["share_of_clv"].map(lambda v: format_percent(v, lang)),
        translate("Expected purchases", lang): table["expected_purchases"].map(lambda v: format_number(v, lang, 1)),
        translate("Still active (mean)", lang): table["probability_alive"].map(lambda v: format_percent(v, lang)),
    })
    total = float(customers["clv"].sum())
    note = translate("Lifetime value over the next {months} months, discounted at {rate} a month: {total} from {n} "
                     "customers ({spend} expected spend, {purchases} purchases); the 10 % with the highest value hold "
                     "{top} of it. Decile 1 = the 10 % of customers with the highest value.", lang, months=months,
                     rate=format_percent(discount_rate, lang), total=format_number(total, lang, 2),
                     n=format_number(len(customers), lang), spend=format_number(customers["expected_spend"].sum(),
                                                                                lang, 2),
                     purchases=format_number(customers["expected_purchases"].sum(), lang),
                     top=format_percent(float(table["share_of_clv"].iloc[0]), lang))
    figures = []
    if check is not None and check.evaluation is not None:
        e = check.evaluation
        space = "" if lang == "zh" else " "
        note += space + translate("Checked: fitted on the orders up to {end}, then predicted against actual over the "
                                  "{days} days after it.", lang, end=format_date(check.calibration_end, lang),
                                  days=e["holdout_days"]) + space + evaluation_reading(e, lang)
        figures.append(charts_clv.deciles_chart(e["deciles"], e["holdout_days"], lang=lang))
    return translate("Customer lifetime value", lang), figures, shown, note


# --- the fixed parts -------------------------------------------------------------------------------

def overview_tables(orders: pd.DataFrame) -> dict:
    """The Overview's figures on every kept line with a customer (no anonymous sales), per week:
    ``kpis``, ``series``, ``products`` (top 40) and ``countries``."""
    from ecom_analytics.insights import overview

    rows = overview.sales_rows(orders, None, include_anonymous=False)
    return {"kpis": overview.kpis(rows), "series": overview.sales_over_time(rows, "week"),
            "products": overview.top_products(rows, 40), "countries": overview.by_country(rows)}


def rfm_summary(orders: pd.DataFrame, cutoff=None) -> pd.DataFrame:
    """The RFM segments of the customers as of ``cutoff`` (a day: orders before it count), by
    default the day after the last order."""
    from ecom_analytics.insights.features import order_features
    from ecom_analytics.insights.segments import rfm_scores, segment_summary

    from ecom_analytics.ingest.inputs import day_after_last

    cutoff = day_after_last(orders) if cutoff is None else pd.Timestamp(cutoff)
    return segment_summary(rfm_scores(order_features(orders, cutoff.isoformat())))


def overview_parts(data: dict, segments: pd.DataFrame, lang: str = "en") -> list:
    """The report's sales charts: sales over time, top 10 products, countries, the RFM treemap."""
    return [charts_insights.sales_over_time_chart(data["series"], "revenue", "week", lang=lang),
            charts_insights.top_products_chart(data["products"].head(10), lang=lang),
            charts_insights.country_chart(data["countries"], lang=lang),
            charts_insights.rfm_treemap_chart(segments, lang=lang)]


def model_parts(stored, lang: str = "en") -> tuple[pd.DataFrame, list, str]:
    """``(leaderboard, [gain chart], note)`` of a stored training run (``predict.registry.StoredRun``)."""
    from ecom_analytics.names import CUSTOMER_MODELS
    from ecom_analytics.predict import evaluation

    meta, board = stored.meta, stored.leaderboard
    y = stored.test["label"].to_numpy()
    scores_by_model = stored.test_scores()
    names = [m for m in board["model"] if m in scores_by_model]
    gains = {translate(CUSTOMER_MODELS.get(m, m), lang): evaluation.gain_table(y, scores_by_model[m]) for m in names}
    figures = [charts_eval.gain_chart(gains, task=meta["task"], lang=lang)]
    note = translate("Task: {task} in the next {days} days; test window from {cutoff} ({n:,} customers), never "
                     "seen in training. Best: {model}.", lang, task=translate(meta["task"], lang),
                     days=meta["horizon_days"], cutoff=format_date(meta["split"]["test_cutoff"], lang), n=len(y),
                     model=translate(CUSTOMER_MODELS.get(meta["best_model"], meta["best_model"]), lang))
    return board, figures, note


@dataclass
class Content:
    """A report's content: the keyword arguments of ``build_report``/``build_pdf_report``
    (:meth:`arguments`) and the optional sections that could not be made, with why (an
    :class:`InputError`'s sentence: a history too short to forecast)."""

    arguments: dict
    skipped: dict[str, str] = field(default_factory=dict)


def report_content(*, title: str, dataset: dict, orders: pd.DataFrame, lang: str = "en",
                   data: dict | None = None, segments: pd.DataFrame | None = None, model=None,
                   sections: dict[str, Callable[[], Section]] | None = None, period: tuple | None = None) -> Content:
    """Everything the report shows. ``dataset``: the orders dataset's catalogue entry (name,
    ``report`` with the cleaning report); ``orders``: its kept rows; ``data``/``segments``: the
    Overview's figures and the RFM summary (computed from ``orders`` when None); ``model``: a stored
    run to include, or None; ``sections``: name -> a function making the section (see
    :func:`default_sections`), each run in :data:`SECTIONS` order; one that returns None is left
    out, one that raises an :class:`InputError` too, its sentence kept in ``skipped``. ``period``
    (first and last day, both included) narrows the key figures, sales charts and segments to those
    days (the segments scored the day after) and the header says so; the model and the optional
    sections keep all the data."""
    from ecom_analytics.insights.periods import rows_in

    shown = orders if period is None else rows_in(orders, *period)
    if period is not None and shown.empty:
        raise InputError("No orders from {start} to {end}: choose days with orders, or the whole data.",
                         start=format_date(period[0], lang), end=format_date(period[1], lang))
    data = data if data is not None else overview_tables(shown)
    segments = segments if segments is not None else rfm_summary(
        shown, None if period is None else pd.Timestamp(period[1]) + pd.Timedelta(days=1))
    first, last = orders["timestamp"].min(), orders["timestamp"].max()
    info = {**dataset, "period": (first, last), **({"focus": tuple(period)} if period is not None else {})}
    board, model_figs, note = (None, [], "") if model is None else model_parts(model, lang)
    made, skipped = [], {}
    for name in [s for s in SECTIONS if s in (sections or {})] + [s for s in (sections or {}) if s not in SECTIONS]:
        try:
            section = sections[name]()
        except InputError as exc:
            skipped[name] = str(exc)
            continue
        if section is not None:  # None: the caller left it out (and said why)
            made.append(section)
    arguments = dict(title=title, dataset=info, kpis=data["kpis"], charts=overview_parts(data, segments, lang),
                     segments=segments, leaderboard=board, model_charts=model_figs, model_note=note, sections=made,
                     lang=lang)
    return Content(arguments, skipped)


def default_sections(orders: pd.DataFrame, events: pd.DataFrame | None, lang: str = "en",
                     include: tuple[str, ...] = SECTIONS) -> dict[str, Callable[[], Section]]:
    """The optional sections computed from the tables with the page's defaults (what the CLI uses;
    the page passes the same section functions fed by its cached results)."""
    makers = {
        "forecast": lambda: forecast_section(forecast_result(orders), lang=lang),
        "recommend": lambda: recommend_section(recommend_result(orders, events), lang=lang),
        "clv": lambda: clv_section(*clv_results(orders), lang=lang),
    }
    return {name: makers[name] for name in include}
