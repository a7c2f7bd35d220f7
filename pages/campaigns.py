"""Campaigns: what a promotion did per arm against the control, and whom to target next (uplift)."""

from dataclasses import replace
from functools import partial

import streamlit as st

from ecom_analytics.campaign import MODEL_LABELS
from ecom_analytics.campaign import run as campaign_run
from ecom_analytics.campaign.effects import suggested_value
from ecom_analytics.campaign.readings import sentences, words
from ecom_analytics.charts import campaign as charts
from ecom_analytics.exports import csv_bytes
from ecom_analytics.names import UPLIFT_ALIASES
from ecom_analytics.runs import Note
from ecom_analytics.ui import campaign_cache, currency_view, i18n, loaders, segment_filter, state, widgets
from ecom_analytics.ui.downloads import download
from ecom_analytics.ui.i18n import linked, t
from ecom_analytics.ui.router import page_guard

page_guard()

lang = i18n.current_language()


def say(note: Note) -> str:
    """A note of the run in the analyst's language (a failure's reason is a library sentence)."""
    params = dict(note.params)
    if "reason" in params:
        params["reason"] = t(str(params["reason"]))
    return t(note.code, **params) if params else t(note.code)


def reading(notes: list[Note]) -> str:
    """The reading under a chart: "Reading: " and its sentences."""
    return t("Reading: ") + sentences(notes, lang)


st.title(t("Campaigns"))
st.caption(t("Did the coupon or e-mail work, for whom, and whom to contact next. Effects compare each arm with the "
             "control (randomised holdout); uplift models find the customers the campaign changes, not just those "
             "who would buy anyway."))

stored_id = state.current_id("campaign")
sources = ["sample", "upload", "orders", *(["stored"] if stored_id else [])]
source = st.segmented_control(t("Campaign data"), sources, default="stored" if stored_id else "sample",
                              **linked("cp_source", {
                                  "sample": "Sample campaign (simulated)", "upload": "Upload a campaign table",
                                  "orders": "Campaign list + current orders", "stored": "Saved campaign (workspace)"})) or "sample"
data, filename, orders_id, window, file_key = None, "campaign_sample.csv.gz", None, 14, None
source_key = campaign_cache.source_of(None, stored_id if source == "stored" else None)
if source == "stored":
    name = None
    with widgets.friendly_errors(t("Opening the saved campaign")):
        name = loaders.dataset_info(stored_id)["name"]
    if name is None:
        st.stop()
    st.caption(t("**{name}** from the workspace (id `{id}`); other saved campaigns open from the Data page.",
                 name=name, id=stored_id))
    filename = f"workspace:{stored_id}"
elif source == "sample":
    st.caption(t("A simulated e-mail and coupon campaign with known effects: lapsed regulars respond, recent VIPs are "
                 "put off, everyone else is unmoved (see ecom_analytics/campaign/simulate.py)."))
else:
    help_text = (t("One row per customer: id, arm (control/holdout/No E-Mail/对照组 and the treated arms), "
                   "outcomes such as visited, converted, spend, and pre-campaign attributes.")
                 if source == "upload" else t("One row per customer: id, arm and send date. Outcomes come from the "
                                              "current orders over the window after each send date."))
    upload = st.file_uploader(t("Campaign file (CSV, Excel, Parquet)"), key="cp_file", help=help_text)
    if upload is None:
        if any(k.startswith("cp_") and k != "cp_source" for k in st.query_params):  # opened from a link with settings
            st.warning(t("This link was made with an uploaded campaign file, and links cannot carry files. Upload the "
                         "same file again to see the analysis; to share it, save the file to the workspace first "
                         "(the Save button under the uploader): links then open it."), icon=":material/link_off:")
        st.info(help_text, icon=":material/info:")
        st.stop()
    data, filename, file_key = upload.getvalue(), upload.name, upload.file_id
    source_key = campaign_cache.remember_upload(data)
    if st.button(t("Save to the workspace"), icon=":material/save:", key="cp_save",
                 help=t("Keep this campaign file in the workspace: it opens again from a link or the Data page")):
        with widgets.friendly_errors(t("Saving the campaign")):
            from ecom_analytics.campaign.data import save_campaign

            state.set_current("campaign", save_campaign(state.workspace(), data, filename))
            st.toast(t("Saved {filename} to the workspace.", filename=filename), icon=":material/save:")
if source == "orders":
    orders_id = widgets.require_dataset("orders", t("Outcomes of a campaign list are computed from the orders."))
    if orders_id is None:
        st.stop()
    window = int(st.number_input(t("Outcome window (days after the send date)"), 1, 365, 14, key="cp_window",
                                 bind="query-params"))

with st.expander(t("Columns and control"), icon=":material/view_column:"):
    columns = arms = recognised = None
    with widgets.friendly_errors(t("Reading the campaign file")):
        columns, arms, recognised, roles = campaign_cache.campaign_arms(source_key, filename, ())
    if columns is None:
        st.stop()
    c1, c2, c3 = st.columns(3)
    auto = "(recognised)"  # the option's code in links; its label says what was recognised, or that nothing was
    customer_col = c1.selectbox(
        t("Customer id column"), [auto, *columns],
        **linked("cp_customer_col", {auto: "(none found: one customer per row)"
                                     if roles["customer_id"] is None else "(recognised)"},
                 raw={c: c for c in columns}))
    if customer_col == auto and roles["customer_id"] is not None:
        c1.caption(t("Recognised: {column}", column=roles["customer_id"]))
    arm_col = c2.selectbox(t("Arm column"), [auto, *columns],
                           **linked("cp_arm_col", {auto: "(none found)" if roles["arm"] is None
                                                   else "(recognised)"}, raw={c: c for c in columns}))
    if arm_col == auto and roles["arm"] is not None:
        c2.caption(t("Recognised: {column}", column=roles["arm"]))
    overrides = tuple((k, v) for k, v in (("customer_id", customer_col), ("arm", arm_col)) if v != auto)
    if overrides:
        with widgets.friendly_errors(t("Reading the arms")):
            columns, arms, recognised, roles = campaign_cache.campaign_arms(source_key, filename, overrides)
    control = c3.selectbox(t("Control arm"), arms or ["(none)"], index=(arms.index(recognised) if recognised in arms else 0),
                           **linked("cp_control", {"(none)": "(none)"}, raw={a: a for a in arms}), help=t("The arm that did not get the campaign. Labels such as control, holdout, "
                                             "No E-Mail and 对照组 are recognised."))
    if not arms:
        control = None

overrides_by_role = dict(overrides)
base = campaign_run.CampaignSettings(customer_col=overrides_by_role.get("customer_id"),
                                     arm_col=overrides_by_role.get("arm"), control=control, window=window)
prepared = None
with widgets.friendly_errors(t("Reading the campaign")):
    prepared = campaign_cache.campaign_data(source_key, filename, base, orders_id)
if prepared is None:
    st.stop()
for note in prepared.notes:
    st.caption(say(note))

candidates = campaign_run.outcome_choices(prepared)
if not candidates:
    st.error(t("The campaign table has no outcome column (visited, converted, spend...). Add the outcomes to the "
               "export, or choose 'Campaign list + current orders' to compute them from the orders."),
             icon=":material/error:")
    st.stop()
s1, s2, s3, s4 = st.columns(4)
outcome = s1.selectbox(t("Outcome"), candidates, key="cp_outcome", bind="query-params",
                       help=t("Rates (0/1 columns) are compared with a two-proportion test, amounts with Welch's t test"))
method = s2.selectbox(t("Test"), ["auto", "welch", "bootstrap"],
                      **linked("cp_method", {"auto": "Automatic", "welch": "Welch t test",
                                             "bootstrap": "Bootstrap (skewed amounts)"}))
segment_options = ["(none)", *prepared.categorical]
segment = s3.selectbox(t("Segments"), segment_options, index=1 if len(segment_options) > 1 else 0,
                       **linked("cp_segment", {"(none)": "(none)"}, raw={c: c for c in prepared.categorical}))
# a link from before the neural model was renamed (cp_models=keras) opens it by its code today (neural)
old_codes = {code: old for old, code in UPLIFT_ALIASES.items()}
models = s4.multiselect(t("Uplift models"), list(MODEL_LABELS), default=list(campaign_run.DEFAULT_MODELS),
                        **linked("cp_models", MODEL_LABELS, raw=old_codes, multi=True))
rate = campaign_run.is_rate(prepared.table, outcome)
settings = replace(base, outcome=outcome, method=method, segment="" if segment == "(none)" else segment,
                   models=tuple(models))

# money in the currency of the orders the outcomes come from, or the one the campaign file names
symbol = currency_view.symbol_of(orders_id) if orders_id else campaign_cache.campaign_currency(source_key, filename)
in_currency = f" ({symbol.strip()})" if symbol else ""
m1, m2, m3 = st.columns(3)
cost = m1.number_input(t("Cost per contact") + in_currency, 0.0, 1e6, 0.10, step=0.05, format="%.2f", key="cp_cost", bind="query-params")
margin = m2.slider(t("Margin"), 0, 100, 30, format="%d%%", key="cp_margin", bind="query-params") / 100
revenue_column = prepared.columns.get("spend")  # the file's revenue (spend) column; "revenue" from the orders
# The value of one extra unit belongs to one file and one outcome: another file or outcome empties it, so a
# number typed for the last file never prices this one. A link's value stays (first run of the session).
money_context = [source, filename, file_key, orders_id, window, outcome]
if st.session_state.get("cp_money_context", money_context) != money_context:
    st.session_state["cp_value"] = None
st.session_state["cp_money_context"] = money_context
value_label = (t("Value per extra conversion ({outcome})", outcome=outcome) if rate
               else t("Value per extra unit of {outcome}", outcome=outcome))
entered = None
if revenue_column is not None and outcome == revenue_column:
    m3.caption(t("**Money** comes from {outcome} itself, the file's revenue column: nothing to enter.",
                 outcome=outcome))
else:
    entered = m3.number_input(value_label + in_currency, 0.0, 1e7, None, format="%.2f", key="cp_value", bind="query-params",
                              placeholder=t("empty: no money figures"),
                              help=t("What one more {outcome} is worth in revenue, in the file's currency. It is not "
                                     "read from the file: enter it (a new file or outcome empties it).",
                                     outcome=outcome))
    suggestion = suggested_value(prepared.table, outcome, prepared.columns)
    if suggestion is not None and entered != suggestion:
        m3.button(t("Use {value}", value=widgets.money(suggestion, symbol)), key="cp_value_suggest", icon=":material/lightbulb:",
                  help=t("The mean spend of this file's buyers (customers with a spend above 0, every arm)."),
                  on_click=lambda: st.session_state.update(cp_value=suggestion))

# The analysis is fitted once per campaign and settings; a change of money or targeting redraws from it.
# The first time, the effects and checks (a second) are drawn while the uplift models train; then the page
# redraws with them (issue #21: the sample campaign took minutes to appear on a loaded machine).
analysis = campaign_cache.cached_analysis(source_key, filename, settings, orders_id)
fitting = analysis is None and bool(settings.models)
drawn = replace(settings, models=()) if fitting else settings
if analysis is None:
    bar = None if fitting else st.progress(0.0, text=t("Analysing the campaign"))
    with widgets.friendly_errors(t("Analysing the campaign")):
        analysis = campaign_cache.campaign_analysis(
            source_key, filename, drawn, orders_id,
            on_progress=None if bar is None else lambda share, msg: bar.progress(min(1.0, share), text=t(msg)))
    if bar is not None:
        bar.empty()
if analysis is None:
    st.stop()
uplift_status = st.container()
notes_area = st.container()

effect_tab, checks_tab, segment_tab, uplift_tab, response_tab = st.tabs(
    [t("Effect"), t("Checks"), t("Segments"), t("Uplift & targeting"), t("Who responds")])

# The widgets of money and targeting first (their tabs keep their places), then one run draws every tab.
all_arms = [analysis.control, *map(str, analysis.effects["arm"])]
with checks_tab:
    st.subheader(t("Sample ratio"))
    if st.session_state.get("cp_split_arms", all_arms) != all_arms:  # another file's arms: its split does not fit
        st.session_state["cp_split"] = ":".join("1" for _ in all_arms)
    st.session_state["cp_split_arms"] = all_arms
    split_text = st.text_input(t("Intended split (shares in this order: {arms})", arms=", ".join(all_arms)),
                               value=":".join("1" for _ in all_arms), key="cp_split", bind="query-params")
    shares, split_problem = campaign_run.parse_split(split_text, all_arms)
uplift_arm = uplift_model = threshold = None
if analysis.uplift:
    with uplift_tab:
        u1, u2 = st.columns(2)
        uplift_arm = u1.selectbox(t("Treated arm"), list(analysis.uplift), key="cp_uplift_arm", bind="query-params")
        fitted = analysis.uplift[uplift_arm]
        uplift_model = u2.selectbox(t("Model for deciles and audiences"), list(fitted.metrics["model"]),
                                    index=list(fitted.metrics["model"]).index(fitted.best_model),
                                    **linked("cp_uplift_model", MODEL_LABELS, raw=old_codes))
        uplift_charts = st.container()
        st.subheader(t("Audiences and targeting"))
        scale = 100 if rate else 1
        threshold = st.number_input(
            t("Persuadable threshold (points)") if rate
            else t("Persuadable threshold ({outcome} per customer)", outcome=outcome), 0.0, 1e6,
            round(campaign_run.default_threshold(analysis.effects, uplift_arm, rate) * scale, 2), step=0.5, key="cp_threshold",
            bind="query-params", help=t("Predicted uplift at or above this: persuadable; at or below minus this: "
                                        "do-not-disturb. Default: half the arm's measured lift.")) / scale
        targeting_area = st.container()

run = None
with widgets.friendly_errors(t("Analysing the campaign")):
    run = campaign_cache.campaign_run(source_key, filename, replace(
        drawn, value_per_unit=entered, cost_per_contact=cost, margin=margin, intended_split=shares,
        targeting_arm=uplift_arm, targeting_model=uplift_model, threshold=threshold), orders_id)
if run is None:
    st.stop()
report = run.result
result = report.analysis
effects = result.effects
with notes_area:
    for note in run.notes:
        if note in prepared.notes:  # shown under the data already
            continue
        if note.severity == "warning":
            st.warning(say(note), icon=":material/warning:")
        else:
            st.caption(say(note))

with effect_tab:
    cols = st.columns(len(effects) + 1)
    money_outcome = revenue_column is not None and outcome == revenue_column  # amounts in the currency
    fmt = (lambda v: i18n.percent(v, 2)) if rate else \
        (lambda v: widgets.money(v, symbol)) if money_outcome else (lambda v: i18n.number(v, 2))
    cols[0].metric(t("Control ({arm})", arm=result.control), fmt(effects["control_mean"].iloc[0]),
                   help=t("{n:,} customers", n=int(effects["n_control"].iloc[0])))
    for col, row in zip(cols[1:], effects.itertuples()):
        delta = t("{lift:+.2f} pts", lift=row.lift * 100) if rate else ("+" if row.lift >= 0 else "-") + fmt(abs(row.lift))
        col.metric(t("{arm} (n = {n:,})", arm=row.arm, n=row.n), fmt(row.mean), delta)
    lift_axis = t("points") if rate else t("{outcome} per customer", outcome=outcome)
    st.plotly_chart(charts.effects_chart(effects, title=t("Lift in {outcome} vs control (95 % CI)", outcome=outcome),
                                         y_title=lift_axis, lang=lang), key="cp_effects_chart")
    st.caption(reading(report.readings["effects"]))
    shown = effects[["arm", "n", "mean", "control_mean", "lift", "ci_low", "ci_high", "rel_lift", "rel_ci_low",
                     "rel_ci_high", "p_value", "method"]].copy()
    shown["method"] = shown["method"].map({m: t(m) for m in ("two-proportion z", "Welch t", "bootstrap")}).fillna(
        shown["method"])
    # a 0/1 outcome: rates in %, lifts in percentage points, as in the tiles and the chart above
    shown, lift_columns = widgets.lift_table(shown, rate)
    st.dataframe(shown, hide_index=True, column_config={
        "arm": t("Arm"), "n": st.column_config.NumberColumn(t("Customers in the arm"), format="localized"),
        **lift_columns,
        "mean": st.column_config.NumberColumn(t("Rate in the arm") if rate else t("Mean in the arm"),
                                              format="percent" if rate else "%.4g"),
        "control_mean": st.column_config.NumberColumn(t("Rate in the control") if rate else t("Mean in the control"),
                                                      format="percent" if rate else "%.4g"),
        "rel_lift": st.column_config.NumberColumn(t("relative lift"), format="percent"),
        "rel_ci_low": st.column_config.NumberColumn(t("rel. CI low"), format="percent"),
        "rel_ci_high": st.column_config.NumberColumn(t("rel. CI high"), format="percent"),
        "p_value": st.column_config.NumberColumn(t("p-value"), format="%.2g"), "method": t("method")})
    if result.cuped is not None:
        st.subheader(t("CUPED (adjusted for pre-campaign revenue)"))
        st.caption(sentences(report.readings["cuped"], lang))
        adjusted, lift_columns = widgets.lift_table(result.cuped[["arm", "lift", "ci_low", "ci_high", "p_value"]],
                                                    rate)
        st.dataframe(adjusted, hide_index=True,
                     column_config={"arm": t("Arm"), **lift_columns,
                                    "p_value": st.column_config.NumberColumn(t("p-value"), format="%.2g")})
    st.subheader(t("Money"))
    basis = report.basis
    if basis.source == "outcome":
        st.caption(t("Money is computed from the outcome itself: {outcome} is the file's revenue column, so one extra "
                     "unit of {outcome} is one unit of revenue.", outcome=outcome))
    elif basis.source == "entered":
        st.caption(t("Money is computed from the value you entered, {value} per extra conversion ({outcome}); it is "
                     "not read from the file.", value=widgets.money(basis.value_per_unit, symbol), outcome=outcome)
                   if rate else
                   t("Money is computed from the value you entered, {value} per extra unit of {outcome}; it is not "
                     "read from the file.", value=widgets.money(basis.value_per_unit, symbol), outcome=outcome))
    else:
        st.info(t("No money figures: {outcome} is not revenue, and money is only computed from a revenue outcome or "
                  "from the value of one extra unit that you enter. Enter it in '{field}' above (for a conversion, "
                  "what an order brings), or choose the revenue outcome.", outcome=outcome, field=value_label),
                icon=":material/payments:")
    if report.money is not None:
        whole = st.column_config.NumberColumn
        st.dataframe(report.money[["arm", "n", "incremental", "incremental_revenue", "incremental_revenue_low",
                                   "incremental_revenue_high", "cost", "profit", "roi"]], hide_index=True, column_config={
            "arm": t("Arm"), "n": whole(t("contacted"), format="localized"),
            "incremental": whole(t("extra conversions") if rate else t("extra {outcome}", outcome=outcome),
                                 format="%.1f"),
            "incremental_revenue": currency_view.money_column(t("extra revenue"), symbol, 0),
            "incremental_revenue_low": currency_view.money_column(t("CI low"), symbol, 0),
            "incremental_revenue_high": currency_view.money_column(t("CI high"), symbol, 0),
            "cost": currency_view.money_column(t("contact cost"), symbol, 0),
            "profit": currency_view.money_column(t("profit"), symbol, 0),
            "roi": whole(t("ROI"), format="percent")})
        st.caption(reading(report.readings["money"]))

with checks_tab:
    if split_problem is not None:
        st.error(words(split_problem, lang), icon=":material/error:")
    srm_note = report.readings["srm"][0]
    if srm_note.severity == "warning":
        st.warning(words(srm_note, lang), icon=":material/warning:")
    else:
        st.caption(reading([srm_note]))
    st.subheader(t("Balance before the campaign"))
    if result.balance.empty:
        st.caption(t("The campaign table has no numeric pre-campaign attribute to check."))
    else:
        st.plotly_chart(charts.balance_chart(
            result.balance, title=t("Balance before the campaign (standardised mean difference)"),
            x_title=t("SMD (arm - control) / pooled SD"), lang=lang), key="cp_balance_chart")
        st.caption(reading(report.readings["balance"]))

with segment_tab:
    if result.segments is None or result.segments.empty:
        st.caption(t("No segment column (a text column with a few values such as tier or region) or every segment "
                     "has an arm under 20 customers."))
    else:
        st.plotly_chart(charts.segment_chart(
            result.segments, title=t("Lift in {outcome} per segment (95 % CI)", outcome=outcome), y_title=lift_axis,
            lang=lang), key="cp_segment_chart")
        st.caption(reading(report.readings["segments"]))
        if len(result.segments) > 1:
            st.info(t("{n} tests: with many segments some look significant by chance. p_holm adjusts each p-value for "
                      "the number of tests (Holm); trust those below 0.05.", n=len(result.segments)),
                    icon=":material/info:")
        seg_shown, seg_lift_columns = widgets.lift_table(
            result.segments[["segment", "arm", "n", "n_control", "lift", "ci_low", "ci_high", "p_value", "p_holm"]],
            rate)  # points for a 0/1 outcome, as in the chart and the tiles
        st.dataframe(seg_shown, hide_index=True, column_config={
            "segment": t("Segment"), "arm": t("Arm"),
            "n": st.column_config.NumberColumn(t("Customers in the arm"), format="localized"),
            "n_control": st.column_config.NumberColumn(t("Customers in the control"), format="localized"),
            **seg_lift_columns,
            "p_value": st.column_config.NumberColumn(t("p-value"), format="%.2g"),
            "p_holm": st.column_config.NumberColumn(t("p (Holm)"), format="%.2g")})

with uplift_tab:
    if fitting:
        st.info(t("The uplift models are training (progress above the tabs); this tab fills in when they are done."),
                icon=":material/hourglass_top:")
    elif report.targeting is None:
        st.info(t("No uplift model was trained: choose at least one model, and give the campaign table pre-campaign "
                  "attributes (past orders, past revenue, recency)."), icon=":material/info:")
if report.targeting is not None:
    aim = report.targeting
    res = result.uplift[aim.arm]
    with uplift_charts:
        board = run.leaderboard[run.leaderboard["arm"] == aim.arm]
        board = board.assign(label=board["model"].map(lambda m: t(MODEL_LABELS[m])))[
            ["label", "cv_qini", "qini_auc", "uplift_at_30"]]
        if rate:  # percentage points, as the reading below says them
            board["uplift_at_30"] = board["uplift_at_30"] * 100
        st.dataframe(board, hide_index=True, column_config={
            "label": t("Model"),
            "cv_qini": st.column_config.NumberColumn(t("Qini AUC, cross-validated on the 70 % (chooses the model)"),
                                                     format="%.3f"),
            "qini_auc": st.column_config.NumberColumn(t("Qini AUC (1 = perfect)"), format="%.3f"),
            "uplift_at_30": st.column_config.NumberColumn(
                t("uplift in the top 30 % (pts)") if rate else t("uplift in the top 30 %"), format="%,.2f")})
        st.caption(t("Held-out 30 % of the campaign (stratified by arm and outcome, seed 0). Qini AUC as "
                     "scikit-uplift's qini_auc_score: area between the model's Qini curve and the random line over "
                     "the same for the perfect curve."))
        curve_names = {**{m: t(label) for m, label in MODEL_LABELS.items()}, "perfect": t("perfect"),
                       "random": t("random")}
        st.plotly_chart(charts.qini_chart(
            res, names=curve_names, title=t("Qini curves, {arm} (held-out 30 %)", arm=aim.arm),
            x_title=t("customers targeted, by predicted uplift (%)"),
            y_title=t("incremental {outcome}", outcome=outcome), lang=lang), key="cp_qini_chart")
        st.caption(reading(report.readings["qini"]))
        st.plotly_chart(charts.decile_chart(
            res.deciles[aim.model], rate, title=t("Observed uplift by decile of predicted uplift"),
            x_title=t("decile (1 = highest predicted uplift)"), y_title=lift_axis, lang=lang), key="cp_decile_chart")
        st.caption(reading(report.readings["deciles"]))
    with targeting_area:
        st.plotly_chart(charts.audience_chart(
            aim.counts, labels={code: t(label) for code, label in charts.AUDIENCE_LABELS.items()},
            title=t("Customers per audience"), y_title=t("customers"), lang=lang), key="cp_audience_chart")
        st.caption(reading(report.readings["audiences"]))
        if aim.profit is not None:  # the same value per unit as the Money table of the Effect tab
            st.plotly_chart(charts.profit_chart(
                aim.profit, aim.best_share, title=t("Expected profit by targeting size"),
                x_title=t("customers contacted (%)"), y_title=t("expected profit") + in_currency, lang=lang),
                key="cp_profit_chart")
            st.caption(reading(report.readings["profit"]))
        else:
            st.info(t("No expected profit by targeting size: it needs money, and {outcome} is not revenue. Enter the "
                      "value of one extra unit in '{field}' above; the targeting list below has no target column "
                      "until then.", outcome=outcome, field=value_label), icon=":material/payments:")
        listed = aim.table
        # a saved segment of the current orders' customers narrows the list (the campaign's ids must be theirs)
        segment_name, segment_members = segment_filter.segment_box(state.current_id("orders"), "cp_audience_segment")
        if segment_members is not None:
            listed = listed[listed["customer_id"].astype("string").isin(segment_members).fillna(False).to_numpy()]
            st.caption(t("{n:,} of the {total:,} customers of the targeting list are in {name}.", n=len(listed),
                         total=len(aim.table), name=widgets.safe_text(segment_name))
                       + ("" if len(listed) else " " + t("The campaign file and the orders must use the same "
                                                         "customer ids for a segment to match.")))
        st.dataframe(listed.head(2000), hide_index=True, height=320, placeholder="—")
        download(t("Targeting list (CSV)"), partial(csv_bytes, listed, index=False),
                 file_name=f"campaign_targeting_{aim.arm}.csv", mime="text/csv", icon=":material/download:")

with response_tab:
    st.caption(t("Who takes part: a gradient-boosting response model (the Model page's machinery) trained on 70 % of "
                 "the treated arm's customers, checked on the other 30 %. High responders are not the same as "
                 "persuadables: many of them would have bought anyway."))
    arm_r = st.selectbox(t("Arm"), list(effects["arm"]), key="cp_response_arm", bind="query-params")
    if not campaign_run.response_features(report.data, outcome):
        st.info(t("A response model needs pre-campaign attributes; the campaign table has none."),
                icon=":material/info:")
    else:
        response = None
        with widgets.friendly_errors(t("Training the response model")):
            response = campaign_cache.campaign_response(source_key, filename, settings, orders_id, arm_r)
        if response is not None:
            for note in response["notes"]:
                st.caption(say(note))
            names = {"roc_auc": t("ROC AUC"), "pr_auc": t("PR AUC"), "log_loss": t("Log loss"),
                     "brier": t("Brier score"), "mae": t("MAE"), "rmse": t("RMSE"),
                     "spearman": t("Spearman rank correlation")}
            cols = st.columns(len(response["metrics"]))
            for col, (name, v) in zip(cols, response["metrics"].items()):
                col.metric(names.get(name, name), i18n.number(v, 3), help=t("On the held-out 30 % of the arm's customers"))
            st.dataframe(response["scores"].head(1000), hide_index=True, height=300, column_config={
                "score": st.column_config.NumberColumn(
                    t("probability of responding") if response["binary"] else t("predicted outcome"), format="%.3f")})

if fitting:  # the uplift models, after everything else is on the screen; then the page redraws with them
    with uplift_status:
        bar = st.progress(0.0, text=t("Training the uplift models"))
        trained = None
        with widgets.friendly_errors(t("Analysing the campaign")):
            trained = campaign_cache.campaign_analysis(
                source_key, filename, settings, orders_id,
                on_progress=lambda share, msg: bar.progress(min(1.0, share), text=t(msg)))
        bar.empty()
    if trained is not None:
        st.rerun()
