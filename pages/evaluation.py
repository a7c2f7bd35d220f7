"""Evaluation: the evidence behind a trained model, on the test window it never saw."""

import pandas as pd
import streamlit as st

from ecom_analytics.charts import evaluation as charts_eval
from ecom_analytics.charts import explain as charts_explain
from ecom_analytics.predict import evaluation
from ecom_analytics.names import CUSTOMER_MODELS as MODEL_LABELS
from ecom_analytics.predict.run import curve_of
from ecom_analytics.ui import i18n, loaders, predict_cache, widgets
from ecom_analytics.ui.i18n import chart_text, linked, linked_tabs, t
from ecom_analytics.ui.router import page_guard


def show_slices(table: pd.DataFrame, translate_groups: bool = False) -> None:
    """The per-slice metrics with headers and flags in the analyst's language (segment names too)."""
    shown = table.copy()
    shown["flag"] = shown["flag"].map(lambda f: t("; ").join(t(part) for part in f.split("; ")) if f else "")
    if translate_groups:
        shown["group"] = shown["group"].map(lambda g: t(g))
    number = st.column_config.NumberColumn
    st.dataframe(shown, hide_index=True, placeholder="—", column_config={
        "group": t("Slice"), "customers": number(t("Customers"), format="localized"),
        "positive_rate": number(t("Positive rate"), format="percent"), "roc_auc": number("ROC AUC", format="%.3f"),
        "mean_revenue": number(t("Mean revenue in the window"), format="localized"),
        "mae": number("MAE", format="localized"), "flag": t("Why it stands out")})


def show_shap_summary(run_id: str, model: str, task: str) -> None:
    """The chosen model's SHAP summary on the test window (saved with the run): the mean absolute
    contribution of each feature, and a sentence on the strongest one."""
    lang = i18n.current_language()
    table = predict_cache.run_importance(run_id)
    if table is None or not (table["model"] == model).any():
        st.info(t("This run was trained before the reasons behind each score were kept. Train it again on the "
                  "Model page to see them."), icon=":material/info:")
        return
    mine = table[table["model"] == model].reset_index(drop=True)
    money = task == "revenue"
    axis = t("Mean absolute contribution (currency)") if money else t("Mean absolute contribution (points)")
    st.plotly_chart(charts_explain.importance_chart(
        mine, {}, title=t("What moves the scores of {model} (SHAP values, top {n})", model=label(model),
                          n=min(15, len(mine))), axis_title=axis, percent=not money, lang=lang),
        key=f"ev_shap_{model}")
    top = mine.iloc[0]
    size = widgets.money(float(top["mean_abs"])) if money else i18n.number(float(top["mean_abs"]) * 100, 1)
    base = widgets.money(float(top["base"])) if money else i18n.percent(float(top["base"]))
    st.caption(t("On the test window, {feature} moves the score most: by {size} on average, up or down ({unit}). "
                 "Each customer's contributions add up to their score from the average customer's {base}. Green: "
                 "higher values of the feature raise the score; red: higher values lower it; grey: a category "
                 "(such as the country) or no clear direction.",
                 feature=str(top["feature"]), size=size, unit=t("currency") if money else t("probability points"),
                 base=base))

page_guard()
widgets.period_not_followed(t("a model is checked on the window after its cutoff, whatever the period."))
lang = i18n.current_language()
CHART_TEXT = chart_text(charts_eval.EVALUATION_TEXT)  # the charts' words in the analyst's language

st.title(t("Evaluation"))
st.caption(t("Every chart uses the test window: customers as they were at the test cutoff, and what they did in "
             "the H days after it, which no model saw while learning."))

runs, run_id, stored = widgets.pick_run(t("Evaluation needs a model trained on your data."), "ev_run")
task, horizon = stored.meta["task"], stored.meta["horizon_days"]
y = stored.test["label"].to_numpy()
scores = stored.test_scores()
curves = predict_cache.run_curves(run_id)  # computed once per run, when it was trained
names = [m for m in stored.leaderboard["model"] if m in scores]
for note in stored.notes:
    st.warning(predict_cache.note_text(note), icon=":material/warning:")
outcome = {"purchase": t("{share} bought", share=i18n.percent(y.mean())),
           "churn": t("{share} churned", share=i18n.percent(y.mean())),
           "revenue": t("{share} spent something, mean {amount}", share=i18n.percent((y > 0).mean()),
                        amount=widgets.money(float(y.mean())))}[task]
st.markdown(t("Test window: **{cutoff}** + {h} days · {n:,} customers · {outcome}",
              cutoff=i18n.date(stored.meta["split"]["test_cutoff"]), h=horizon, n=len(y), outcome=outcome))
focus = st.selectbox(t("Model for the detailed charts"), names, index=names.index(best) if (best := stored.meta.get("best_model")) in names else 0,
                     **linked("ev_model", {m: MODEL_LABELS.get(m, m) for m in names}))
p = scores[focus]


def label(model: str) -> str:
    return t(MODEL_LABELS.get(model, model))


def curve(kind: str, model: str, by: str | None = None) -> pd.DataFrame:
    return curve_of(curves, kind, model, by)


def slices_for(by: str) -> pd.DataFrame:
    """The focus model's slice table by ``by``; RFM segment when the customers have no country."""
    available = set(curves["slices"]["by"])
    return curve("slices", focus, by if by in available else next(iter(sorted(available))))


if task != "revenue":
    # the open tab is kept in the link (ev_tab) in either language; the curves were computed with the run
    tab_names = {"curves": "ROC & precision-recall", "gain": "Gain, lift & calibration",
                 "threshold": "Audiences & threshold", "importance": "What the model uses", "slices": "Slices"}
    tab_curves, tab_gain, tab_threshold, tab_importance, tab_slices = st.tabs(**linked_tabs("ev_tab", tab_names))
    with tab_curves:
        if tab_curves.open is not False:  # None when the tabs do not track state
            aucs = {m: float(stored.leaderboard.set_index("model").loc[m, "roc_auc"]) for m in names}
            st.plotly_chart(charts_eval.roc_chart({label(m): curve("roc", m) for m in names},
                                                  {label(m): aucs[m] for m in names}, task=task, lang=lang,
                                                  text=CHART_TEXT))
            st.plotly_chart(charts_eval.pr_chart({label(m): curve("pr", m) for m in names},
                                                 float(y.mean()), task=task, lang=lang, text=CHART_TEXT))
            st.caption(evaluation.read_roc(aucs[focus], task=task, lang=lang))
    with tab_gain:
        if tab_gain.open is not False:  # None when the tabs do not track state
            gain = curve("gain", focus)
            st.plotly_chart(charts_eval.gain_chart({label(m): curve("gain", m) for m in names}, task=task, lang=lang,
                                                   text=CHART_TEXT))
            st.plotly_chart(charts_eval.lift_chart(gain, task=task, lang=lang, text=CHART_TEXT))
            st.caption(evaluation.read_gain(gain, task=task, lang=lang))
            st.plotly_chart(charts_eval.calibration_chart({label(m): curve("calibration", m) for m in names},
                                                          task=task, lang=lang, text=CHART_TEXT))
            st.caption(evaluation.read_calibration(curve("calibration", focus), task=task, lang=lang))
    with tab_threshold:
        if tab_threshold.open is not False:  # None when the tabs do not track state
            top = curve("top_share", focus)
            st.dataframe(top.drop(columns=[c for c in ("value_share",) if c in top.columns]), hide_index=True, column_config={
                "share": st.column_config.NumberColumn(t("Top share"), format="percent"),
                "customers": st.column_config.NumberColumn(t("Customers"), format="localized"),
                "precision": st.column_config.NumberColumn(t("Precision"), format="percent"),
                "recall": st.column_config.NumberColumn(t("Recall"), format="percent"),
                "lift": st.column_config.NumberColumn(t("Lift"), format="%.2f")})
            st.caption(evaluation.read_top_share(top, task=task, lang=lang))
            saved = curve("confusion", focus).iloc[0].to_dict()
            threshold = st.slider(t("Threshold: customers above it count as predicted buyers") if task == "purchase"
                                  else t("Threshold: customers above it count as predicted churners"), 0.0, 1.0,
                                  float(saved["threshold"]), 0.01, key="ev_threshold", bind="query-params")
            # the saved matrix at the default threshold; another threshold is one cheap count
            confusion = {**saved, **{k: int(saved[k]) for k in ("tp", "fp", "fn", "tn")}} \
                if threshold == saved["threshold"] else evaluation.confusion_at(y, p, threshold)
            st.plotly_chart(charts_eval.confusion_chart(confusion, task=task, lang=lang, text=CHART_TEXT))
            st.caption(evaluation.read_confusion(confusion, task=task, lang=lang))
    with tab_importance:
        if tab_importance.open is not False:  # None when the tabs do not track state
            show_shap_summary(run_id, focus, task)
            st.caption(t("Permutation importance of the neural network: how much its ROC AUC on the test window drops "
                         "when one feature's values are shuffled across customers."))
            if not stored.meta.get("has_neural"):
                st.info(t("This run has no neural network."), icon=":material/info:")
            elif st.button(t("Compute feature importance"), key="ev_importance", icon=":material/bar_chart:") or \
                    st.session_state.get(f"ev_imp_{run_id}"):
                st.session_state[f"ev_imp_{run_id}"] = True
                with st.spinner(t("Shuffling each feature and re-scoring…")):
                    importance = loaders.neural_importance(run_id)
                st.plotly_chart(charts_eval.importance_chart(importance, lang=lang, text=CHART_TEXT))
                st.caption(evaluation.read_importance(importance, lang=lang))
    with tab_slices:
        if tab_slices.open is not False:  # None when the tabs do not track state
            by = st.segmented_control(t("Slice by"), ["country", "RFM segment"], default="country",
                                      **linked("ev_slice", {"country": "country", "RFM segment": "RFM segment"})) or "country"
            table = slices_for(by)
            st.plotly_chart(charts_eval.slice_chart(table, "roc_auc", by=by, lang=lang, text=CHART_TEXT))
            st.caption(evaluation.read_slices(table, by=by, lang=lang))
            show_slices(table, translate_groups=by != "country")
else:
    gain = curve("gain", focus)
    st.plotly_chart(charts_eval.gain_chart({label(m): curve("gain", m) for m in names}, task=task, lang=lang,
                                           text=CHART_TEXT))
    st.plotly_chart(charts_eval.lift_chart(gain, task=task, lang=lang, text=CHART_TEXT))
    st.caption(evaluation.read_gain(gain, task=task, lang=lang))
    show_slices(slices_for("country"))
    st.subheader(t("What the model uses"))
    show_shap_summary(run_id, focus, task)
