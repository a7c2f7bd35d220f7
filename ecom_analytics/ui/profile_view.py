"""The Data page's profile of an upload before mapping: a row per column and one column's chart."""

from __future__ import annotations

import streamlit as st

from ecom_analytics.charts import profile as charts_profile
from ecom_analytics.ingest.profile import MAX_COLUMNS, Alert
from ecom_analytics.ui import i18n, loaders
from ecom_analytics.ui.i18n import t

TYPE_LABELS = {"number": "number", "date": "date", "yes/no": "yes/no", "category": "category",
               "identifier": "identifier", "text": "text", "empty": "empty"}


def alert_text(alert: Alert) -> str:
    """One alert in the analyst's language."""
    value = alert.value if alert.value is not None else t("(personal data, not shown)")
    return {
        "empty": lambda: t("empty"),
        "mostly_empty": lambda: t("mostly empty ({share:.0%} missing)", share=alert.share),
        "constant": lambda: t("one value only: {value}", value=value),
        "dominant": lambda: t("{share:.0%} of values are {value}", share=alert.share, value=value),
        "mixed": lambda: t("mixed: {share:.0%} numbers, the rest text", share=alert.share),
        "unique": lambda: t("every value different"),
        "spaces": lambda: t("spaces around {share:.0%} of values", share=alert.share),
    }[alert.code]()


def show(prepared, digest: str, options_tag: str, masked: tuple[str, ...]) -> None:
    """Draw the profile of ``prepared``'s raw columns (personal-data columns in ``masked`` show no values)."""
    with st.spinner(t("Profiling the columns…")):
        profile = loaders.upload_profile(digest, options_tag, prepared, masked)
    n_alerts = int(profile["alerts"].map(len).sum())
    if prepared.raw.frame.shape[1] > MAX_COLUMNS:
        st.caption(t("The file has {n:,} columns: the first {shown:,} are profiled.", n=prepared.raw.frame.shape[1],
                     shown=MAX_COLUMNS))
    st.caption(t("Every column as read, before any mapping or cleaning: {n:,} rows. Types are guessed from up to "
                 "5,000 values per column; counts use every row. {alerts:,} alerts.", n=len(prepared.raw.frame),
                 alerts=n_alerts))
    shown = profile.assign(
        type=profile["type"].map(lambda k: t(TYPE_LABELS.get(k, k))),
        top=[t("(personal data, not shown)") if c in masked else
             " · ".join(f"{v[:40]} ({i18n.number(n)})" for v, n in top) for c, top in zip(profile["column"], profile["top"])],
        alerts=profile["alerts"].map(lambda alerts: t("; ").join(alert_text(a) for a in alerts)))
    st.dataframe(shown, hide_index=True, placeholder="—", column_config={
        "column": t("Column"), "type": t("Type"),
        "missing": st.column_config.NumberColumn(t("Missing"), format="percent"),
        "distinct": st.column_config.NumberColumn(t("Distinct values"), format="localized"),
        "top": st.column_config.TextColumn(t("Most frequent")), "alerts": st.column_config.TextColumn(t("Alerts"))})
    choices = [c for c in profile["column"] if c not in masked]
    if not choices:
        return
    kinds = profile.set_index("column")["type"]
    telling = [c for c in choices if kinds[c] in ("number", "date", "category")]  # an id's bars are all 1
    column = st.selectbox(t("Distribution of"), choices, key=f"profile_col_{digest[:12]}",
                          index=choices.index(telling[0]) if telling else 0)
    kind = str(kinds[column])
    distribution = loaders.upload_distribution(digest, options_tag, prepared, column, kind)
    if distribution.empty:
        st.caption(t("This column has no values."))
        return
    what = {"number": t("{column}: values in 20 bins between its 1st and 99th percentiles (the end bins hold the "
                        "rest)", column=column),
            "date": t("{column}: rows per period", column=column)}.get(
        kind, t("{column}: the 15 most frequent values", column=column))
    st.plotly_chart(charts_profile.distribution_chart(distribution, what, t(TYPE_LABELS.get(kind, kind)), t("Rows"),
                                                      lang=i18n.current_language()), key=f"profile_chart_{digest[:12]}")
