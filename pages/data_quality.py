"""Data quality: what the cleaning kept, set aside and flagged, reconciled, with the quarantine."""

import pandas as pd
import streamlit as st

from ecom_analytics import charts
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.router import page_guard

page_guard()

st.title("Data quality")
st.caption("Every row of the file is accounted for: kept, or set aside in the quarantine with the first "
           "rule it failed. Flagged rows stay in the analysis.")

available = [k for k in ("orders", "events") if state.current_id(k)]
if not available:
    widgets.require_dataset("orders", "Load a file to see its cleaning report.")
    st.stop()
kind = st.segmented_control("Dataset", available, default=available[0], key="dq_kind", bind="query-params",
                            format_func=str.capitalize) or available[0]
dataset_id = state.current_id(kind)
info = None
with widgets.friendly_errors("Opening the cleaning report"):
    info = loaders.dataset_info(dataset_id)
if info is None:
    st.stop()
report = info["report"]
rep = report["cleaning"]
st.markdown(f"**{info['name']}** · {kind} · read as {report['reader']['format'].upper()}, "
            f"{report['reader']['encoding'] or 'binary'} · id `{dataset_id}`")

c = st.columns(5)
c[0].metric("Rows in", f"{rep['rows_in']:,}")
c[1].metric("Rows kept", f"{rep['rows_clean']:,}", help="Rows used by every analysis")
c[2].metric("Rows set aside", f"{rep['rows_quarantined']:,}",
            help=f"{rep['rows_quarantined'] / max(1, rep['rows_in']):.1%} of the rows in the file")
rev_label = "Revenue" if kind == "orders" else "Purchase value"
c[3].metric(f"{rev_label} in", widgets.money_short(rep["revenue_in"]),
            help=f"{widgets.money(rep['revenue_in'])}: every line of the file, returns counted negative")
c[4].metric(f"{rev_label} kept", widgets.money_short(rep["revenue_clean"]), help=widgets.money(rep["revenue_clean"]))
if rep["reconciles"]:
    st.success(f"Reconciled: {rep['rows_in']:,} rows in = {rep['rows_clean']:,} kept + {rep['rows_quarantined']:,} "
               f"set aside; {rev_label.lower()} {widgets.money(rep['revenue_in'])} = {widgets.money(rep['revenue_clean'])} "
               f"kept {'+' if rep['revenue_quarantined'] >= 0 else '−'} {widgets.money(abs(rep['revenue_quarantined']))} "
               "set aside" + (" (returns and cancellations count negative)." if kind == "orders" else "."),
               icon=":material/balance:")
else:
    st.error("The counts do not reconcile; please report this dataset.", icon=":material/error:")

rules = pd.DataFrame(rep["rules"])
st.subheader("Rules, in the order that decides a row's reason")
st.dataframe(
    rules[["rule", "quarantined", "matched", "revenue_quarantined", "description"]],
    hide_index=True,
    column_config={
        "rule": "Rule", "description": st.column_config.TextColumn("What it catches"),
        "matched": st.column_config.NumberColumn("Rows matching", format="localized",
                                                 help="All rows the rule matches, whatever other rule they fail"),
        "quarantined": st.column_config.NumberColumn("Set aside", format="localized",
                                                     help="Rows whose first failed rule is this one"),
        "revenue_quarantined": st.column_config.NumberColumn(f"{rev_label} set aside", format="localized"),
    },
)
if (rules["quarantined"] > 0).any():
    st.plotly_chart(charts.quarantine_chart(rules), config={"displayModeBar": False})
else:
    st.success("No row was set aside.", icon=":material/check_circle:")

for flag in rep["flags"]:
    if flag["flag"] == "outlier":
        st.info(f"**Outliers** ({flag['description']}): quantity above {flag['quantity_above']:,.0f} or amount "
                f"above {widgets.money(flag['amount_above'])}. {flag['matched']:,} row(s) match; policy "
                f"'{flag['policy']}': {flag['rows_kept_flagged']:,} kept with a flag "
                f"({widgets.money(flag['revenue_kept_flagged'])}).", icon=":material/flag:")
    elif flag["flag"] == "unknown_event":
        mapped = ", ".join(f"{k} → {v}" for k, v in list(flag["event_type_map"].items())[:12])
        st.info(f"**Event types**: {mapped}. {flag['rows_kept_flagged']:,} events of an unrecognised type are "
                "kept as 'other'.", icon=":material/flag:")
anon = rep.get("sales_without_customer")
if anon and anon["rows"]:
    st.info(f"**Sales without a customer id**: {anon['rows']:,} lines worth {widgets.money(anon['revenue'])} have "
            "no other problem. They are left out of customer analyses; the Overview can include them in sales "
            "totals.", icon=":material/person_off:")
notes = report.get("notes") or []
if notes or report.get("pii_columns"):
    with st.expander("Reading notes"):
        for note in notes:
            st.markdown(f"- {note}")
        if report.get("pii_columns"):
            st.markdown("- personal-data columns not stored: " + ", ".join(report["pii_columns"]))
        st.json(report["parse"], expanded=False)

st.subheader("Quarantine")
quarantine = None
with widgets.friendly_errors("Loading the quarantine"):
    quarantine = loaders.quarantine_rows(dataset_id)
if quarantine is not None and len(quarantine):
    reasons = [r for r in rules["rule"] if (quarantine["reason"] == r).any()]
    picked = st.multiselect("Show reasons", reasons, default=reasons, key="dq_reasons")
    shown = quarantine[quarantine["reason"].isin(picked)]
    front = ["source_line", "reason", "reasons", "detail"]
    shown = shown[front + [c for c in shown.columns if c not in front]]
    st.caption(f"{len(shown):,} of {len(quarantine):,} rows set aside. `source_line` is the line in the file "
               "(1 = header).")
    st.dataframe(shown.head(5000), hide_index=True, height=360)
    st.download_button("Download the quarantine (CSV)", shown.to_csv(index=False).encode("utf-8"),
                       file_name=f"quarantine_{dataset_id}.csv", mime="text/csv", icon=":material/download:")
elif quarantine is not None:
    st.write("The quarantine is empty.")
