"""Forecast: sales per day, week or month, backtested against baselines, with intervals and stock hints."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.charts import forecast as charts_forecast
from ecom_analytics.exports import csv_bytes
from ecom_analytics.forecasting import ALL_MODELS, DEFAULT_MODELS, FREQ_LABELS, inventory_hints, readings
from ecom_analytics.forecasting import notes as codes
from ecom_analytics.forecasting.calendar import holiday_names
from ecom_analytics.forecasting.models import MODEL_SHORT
from ecom_analytics.forecasting.readings import COHERENT
from ecom_analytics.forecasting.run import ForecastSettings
from ecom_analytics.forecasting.series import default_horizon, infer_freq, same_period_last_season
from ecom_analytics.insights.periods import describe_partial, partial_periods, period_of
from ecom_analytics.names import FORECAST_MODELS
from ecom_analytics.ui import forecast_cache, i18n, loaders, state, widgets
from ecom_analytics.ui.forecast_cache import say
from ecom_analytics.ui.i18n import linked, t, tn
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()
widgets.period_not_followed(t("a forecast learns from the whole history and is backtested on its last periods."))

LEVEL_LABELS = {"total": "Total", "product": "By product", "category": "By category", "country": "By country"}
SALES_LEVELS = {"series": "Per series", "total": "Total"}

lang = i18n.current_language()
# the charts' words and the models' names in the analyst's language (the charts take their text as arguments)
CHART_TEXT = {key: t(english) for key, english in charts_forecast.FORECAST_TEXT.items()}
MODEL_NAMES = {code: t(label) for code, label in FORECAST_MODELS.items()}
st.title(t("Forecast"))
st.caption(t("What will sell, with how much confidence, and when to reorder. Every model is scored on a rolling "
             "backtest: fitted on the past only, checked on the periods that followed."))

sources = [k for k in ("orders", "sales") if state.current_id(k)]
if not sources:
    widgets.require_dataset("orders", t("Forecasts use orders, or a sales table (date, value) uploaded on the Data page."))
    st.stop()
source = sources[0]
if len(sources) > 1:
    source = st.segmented_control(t("Data"), sources, default=sources[0],
                                  **linked("fc_data", {"orders": "Orders", "sales": "Sales table"})) or sources[0]
dataset_id = state.current_id(source)
widgets.require_rows(dataset_id)

c1, c2, c3, c4 = st.columns(4)
measure, level, top_n = "value", "total", 10
if source == "orders":
    measures = ["revenue", "units", "orders"]
    measure = c1.selectbox(t("Measure"), measures, **linked("fc_measure", {m: m.capitalize() for m in measures}))
    level = c2.selectbox(t("Level"), list(LEVEL_LABELS), **linked("fc_level", LEVEL_LABELS))
    native = "D"
else:
    rows = loaders.clean_rows(dataset_id)
    native = infer_freq(rows["timestamp"])
    # a second key (a store's departments) adds the first key's own series as a level: "Per Store"
    first_key = (loaders.dataset_info(dataset_id).get("mapping") or {}).get("series_id")
    paired = "subseries_id" in rows.columns and rows["subseries_id"].notna().any()
    if paired or ("series_id" in rows.columns and rows["series_id"].nunique() > 1):
        levels = ["series", "group", "total"] if paired else list(SALES_LEVELS)
        level = c2.selectbox(t("Level"), levels, **linked("fc_sales_level", SALES_LEVELS, raw={
            "group": t("Per {column}", column=first_key or t("first key"))} if paired else None))
    else:
        level = "series"
if level not in ("total",):
    top_n = int(c3.number_input(t("Series (largest first)"), 1, 500, 10, key="fc_top", bind="query-params",
                                help=t("Forecast the N series with the largest total; the others are named in a note")))
freqs = ["D", "W", "M"][["D", "W", "M"].index(native):]
freq = c4.segmented_control(t("Per"), freqs, default="W" if "W" in freqs else freqs[0],
                            **linked("fc_freq", {f: FREQ_LABELS[f] for f in freqs})) or freqs[0]
unit = t(FREQ_LABELS[freq])

h1, h2, _ = st.columns(3)
CALENDARS = ["auto", "none", "GB", "US", "DE", "FR", "NL", "IE", "ES", "IT", "CN", "JP", "AU", "CA", "BR", "IN"]
holidays = h1.selectbox(t("Holiday calendar"), CALENDARS,
                        **linked("fc_holidays", {"auto": "From the data", "none": "No calendar"},
                                 raw={c: c for c in CALENDARS[2:]}),
                        help=t("Public holidays feed the Fourier and gradient-boosting models and are marked on the "
                               "chart; the export's own holiday or promotion flag is always used"))
method = "off"
if source == "orders" and level != "total":
    method = h2.selectbox(t("Coherent levels"), list(COHERENT), **linked("fc_coherent", COHERENT),
                          help=t("Forecast the total too, with the rest as 'other', and make the series add up to "
                                 "the total: bottom-up sums the series' forecasts; MinT adjusts every level by how "
                                 "far off each was in the backtest")) or "off"
    if method != "off" and measure == "orders":
        st.info(t("Order counts cannot be made coherent: one order can hold several {level} values, so they do not "
                  "add up to the total. Choose revenue or units.", level=t(level)), icon=":material/info:")
        method = "off"
coherent = method != "off"
# what to forecast; the horizon, windows, models and calendar are added below
shape = ForecastSettings(horizon=1, kind=source, measure=measure, by=level, freq=freq, series=top_n,
                         reconcile=coherent and source == "orders")

d1, d2, d3 = st.columns([1, 1, 3])
preview = None
with widgets.friendly_errors(t("Reading the series")):
    preview = forecast_cache.forecast_series(dataset_id, source, shape)
if preview is None:
    st.stop()
longest = int(preview.frame.groupby("unique_id").size().max())
forecast_cache.adopt_old_link_key("fc_h")  # the horizon's former link key
units = say(codes.unit(freq, 2))  # "weeks": the period's plural word in the page's language
horizon = int(d1.number_input(t("Horizon ({units})", units=units), 1, 366, default_horizon(longest, freq),
                              key="fc_horizon", bind="query-params",
                              help=t("How many periods ahead to forecast; the default fits the history "
                                     "({history}) with 3 backtest windows", history=say(codes.span(longest, freq)))))
windows = int(d2.number_input(t("Backtest windows"), 1, 12, 3, key="fc_windows", bind="query-params",
                              help=t("The last windows × horizon {units} are forecast from the data before them",
                                     units=units)))
models = d3.multiselect(t("Models"), list(ALL_MODELS), default=list(DEFAULT_MODELS),
                        **linked("fc_models", MODEL_SHORT, multi=True),
                        help=t("ETS+Theta is the mean of the two; Auto uses, per series, the model with the lowest "
                               "error on earlier forecasts, or seasonal naive when that choice did not beat it. "
                               "Neural trains a small network per window: slower."))
if not models:
    st.info(t("Choose at least one model."), icon=":material/info:")
    st.stop()

result = None
with widgets.friendly_errors(t("Forecasting")):
    with st.status(tn("Backtesting {n} model on {windows} × {horizon}…", "Backtesting {n} models on {windows} × "
                      "{horizon}…", len(models), windows=windows, horizon=say(codes.span(horizon, freq))),
                   expanded=False) as status:
        try:
            settings = ForecastSettings(horizon=horizon, kind=source, measure=measure, by=level, freq=freq,
                                        windows=windows, models=tuple(sorted(models)), series=top_n, holidays=holidays,
                                        reconcile=shape.reconcile, neural_epochs=100)
            result = forecast_cache.forecast_run(dataset_id, source, settings).result
        except Exception:
            # the status must not keep saying "Backtesting…" under the error
            status.update(label=t("The forecast could not run: see below"), state="error")
            raise
        status.update(label=tn("Backtest done: {series} series, {n} model", "Backtest done: {series} series, {n} models",
                                 len(models), series=len(result.series.ids)), state="complete")
if result is None:
    st.stop()
series_ids = [u for u in result.series.ids if u in set(result.forecast["unique_id"])]
labels = {**result.series.labels, **({"other": "Other (the rest)"} if "other" in series_ids else {})}
# English in the CSV; on screen the total and "other" read in the page's language
shown_labels = {**labels, "total": t("Total"), **({"other": t("Other (the rest)")} if "other" in labels else {})}
if result.notes:
    # the models' notes name the part of the history they were fitted on; the first note says which that is
    shown_notes = [n for n in [readings.history_note(result, series_ids[0]) if series_ids else None,
                               *readings.run_notes(result, shown_labels)] if n is not None]
    with st.expander(t("{n} notes on the series and the models", n=len(shown_notes)), icon=":material/info:"):
        for note in shown_notes:
            st.caption(say(note))

e1, e2 = st.columns(2)
if len(series_ids) > 1:
    fixed = {k: v for k, v in {"total": "Total", "other": "Other (the rest)"}.items() if k in series_ids}
    uid = e1.selectbox(t("Series"), series_ids,
                       **linked("fc_series", fixed, raw={u: labels.get(u, u) for u in series_ids}))
else:
    uid = series_ids[0]
    e1.markdown(t("**Series**  \n{name}", name=shown_labels.get(uid, uid)))
shown_models = [m for m in result.leaderboard["model"] if m in set(result.forecast["model"])]
model = e2.selectbox(t("Model shown"), shown_models, **linked("fc_model", {m: MODEL_SHORT[m] for m in shown_models}),
                     help=t("The leaderboard's best model is first"))
history = result.series.one(uid)
future = result.forecast[(result.forecast["unique_id"] == uid) & (result.forecast["model"] == model)]
name = shown_labels.get(uid, uid)
reconciled, before = None, None
if coherent:
    with widgets.friendly_errors(t("Making the levels coherent")):
        reconciled = forecast_cache.forecast_reconciled(dataset_id, source, settings, model, method)
    if reconciled is not None:
        before = future
        future = reconciled.forecast[reconciled.forecast["unique_id"] == uid]

st.subheader(t("Forecast"))
last_season = same_period_last_season(history, future["ds"], freq)
marks = holiday_names(history["ds"], freq, result.country) if result.country else None
st.plotly_chart(charts_forecast.forecast_chart(history, future, result.series.measure,
                                               t("{measure} per {unit}: {name}",
                                                 measure=t(result.series.measure.capitalize()), unit=unit, name=name),
                                               lang=lang, last_season=last_season, holidays=marks, text=CHART_TEXT,
                                               y_title=t(result.series.measure.capitalize()),
                                               partial=result.series.partial_for(uid), base=before),
                width="stretch")
edges = partial_periods(period_of(pd.Series(loaders.data_range(dataset_id, None))), freq) \
    if source == "orders" and not result.series.partial_for(uid).empty else []
# the same words as Overview and Cohorts for the same edge periods ("December 2011 has 9 of 31 days ...")
marks_meaning = readings.chart_items(history, last_season, freq, result.country, marks, result.series.partial_for(uid),
                                     t(", ").join(describe_partial(p, lang, first_word=False) for p in edges),
                                     model if before is not None else None)
if marks_meaning:
    st.caption(say(marks_meaning))
reading = readings.forecast_reading(history, future, model, horizon, freq, method if before is not None else None)
if reading is not None:
    st.caption(say(reading))
if reconciled is not None:
    st.subheader(t("Coherent levels"))
    acc = reconciled.accuracy
    level_names = {"total": t("Total"), "bottom": t("The {n} series below it (mean)", n=reconciled.bottom)}
    how = t(COHERENT[method])
    shown_acc = acc.assign(level=acc["level"].map(level_names))[["level", "smape_base", "smape", "mase_base", "mase"]]
    st.dataframe(shown_acc, hide_index=True, column_config={
        "level": st.column_config.TextColumn(t("Level")),
        "smape_base": st.column_config.NumberColumn(t("sMAPE % as forecast"), format="%.2f"),
        "smape": st.column_config.NumberColumn(t("sMAPE % {method}", method=how), format="%.2f"),
        "mase_base": st.column_config.NumberColumn(t("MASE as forecast"), format="%.3f"),
        "mase": st.column_config.NumberColumn(t("MASE {method}", method=how), format="%.3f")})
    st.caption(say(readings.coherent_reading(reconciled, model, method, freq)))

st.subheader(t("Backtest"))
board = result.leaderboard
best = result.best_model
shown_board = board[["label", "mae", "rmse", "mase", "smape", "coverage80", "coverage95", "series"]].copy()
shown_board["label"] = shown_board["label"].map({v: t(v) for v in shown_board["label"].unique()})
shown_board[["mae", "rmse"]] = shown_board[["mae", "rmse"]].round(0 if board["mae"].abs().max() >= 100 else 2)
st.dataframe(shown_board, hide_index=True,
             column_config={
                 "label": st.column_config.TextColumn(t("Model")),
                 "mae": st.column_config.NumberColumn(t("MAE"), format="localized", help=t("Mean absolute error")),
                 "rmse": st.column_config.NumberColumn(t("RMSE"), format="localized"),
                 "mase": st.column_config.NumberColumn(t("MASE"), format="%.3f",
                                                       help=t("MAE ÷ in-sample seasonal-naive MAE; below 1 beats it")),
                 "smape": st.column_config.NumberColumn(t("sMAPE %"), format="%.2f"),
                 "coverage80": st.column_config.NumberColumn(t("In 80 % band"), format="percent"),
                 "coverage95": st.column_config.NumberColumn(t("In 95 % band"), format="percent"),
                 "series": st.column_config.NumberColumn(t("Series")),
             })
for reading in readings.leaderboard_readings(result):
    st.caption(say(reading))
if (why := readings.auto_reading(result, uid)) is not None:  # why auto chose what it did for this series
    st.caption(say(why))
l1, l2 = st.columns(2)
l1.plotly_chart(charts_forecast.leaderboard_chart(board, "smape", lang=lang, text=CHART_TEXT, model_names=MODEL_NAMES),
                width="stretch")
l2.plotly_chart(charts_forecast.error_by_step_chart(result.by_step, "smape", lang=lang, text=CHART_TEXT,
                                                    model_names=MODEL_NAMES), width="stretch")
st.caption(say(readings.by_step_reading(result)))
bt = result.backtest[(result.backtest["unique_id"] == uid) & (result.backtest["window"] >= 0)
                     & result.backtest["model"].isin(list(dict.fromkeys([model, best, "naive"])))]
st.plotly_chart(charts_forecast.backtest_chart(history, bt, result.series.measure, lang=lang, text=CHART_TEXT,
                                               model_names=MODEL_NAMES, y_title=t(result.series.measure.capitalize())),
                width="stretch")
st.caption(say(readings.backtest_reading(name)))

st.subheader(t("Inventory"))
if result.series.measure != "units":
    st.caption(t("The series is {measure}; stock hints read best with the measure Units.",
                 measure=t(result.series.measure)))
i1, i2, i3 = st.columns(3)
lead = i1.number_input(t("Lead time (days)"), 0, 365, 14, key="fc_lead", bind="query-params",
                       help=t("Days from placing an order with the supplier to having the goods"))
service = i2.slider(t("Service level"), 50.0, 99.9, 95.0, 0.1, format="%.1f%%", key="fc_service", bind="query-params",
                    help=t("Share of lead times without a stock-out")) / 100
stock = i3.number_input(t("Current stock"), 0.0, None, None, key="fc_stock", bind="query-params",
                        placeholder=t("on hand now"), help=t("In the unit of the series"))
sigma1 = readings.one_period_error(result, uid, model, reconciled)
with widgets.friendly_errors(t("Computing the stock hints")):
    hints = inventory_hints(future, sigma1, freq,
                            lead_time_days=float(lead), service_level=service,
                            current_stock=float(stock) if stock is not None else float("inf"))
    k = st.columns(4)
    k[0].metric(t("Demand during lead time"), i18n.number(hints.demand_during_lead_time))
    k[1].metric(t("Safety stock"), i18n.number(hints.safety_stock),
                help=t("z(service level) × one period's backtest error × √(lead time in periods)"))
    k[2].metric(t("Reorder point"), i18n.number(hints.reorder_point), help=t("Demand during lead time + safety stock"))
    if stock is None:
        k[3].metric(t("Stock-out"), "–", help=t("Enter the current stock"))
        st.caption(t("Enter the current stock to see when it runs out and whether to reorder now."))
    else:
        k[3].metric(t("Expected stock-out"), i18n.date(hints.stockout_date) if hints.stockout_date is not None
                    else t("after {date}", date=i18n.date(future["ds"].max())))
        st.caption(say(readings.stock_reading(hints, stock)))

if reconciled is not None:  # the coherent forecast: its series add up to the total
    csv = reconciled.forecast.rename(columns={"base": "yhat_before_reconciling"})
    csv = csv.assign(series=csv["unique_id"].map(lambda u: labels.get(u, u)))
    download(t("Download the coherent forecast (CSV)"), partial(csv_bytes, csv, index=False),
             file_name=f"forecast_{result.series.measure}_{freq}_{level}_{method}.csv", mime="text/csv",
             icon=":material/download:")
else:
    csv = result.forecast.assign(series=lambda f: f["unique_id"].map(lambda u: labels.get(u, u)))
    download(t("Download the forecast (CSV)"), partial(csv_bytes, csv, index=False),
             file_name=f"forecast_{result.series.measure}_{freq}.csv", mime="text/csv",
             icon=":material/download:")
