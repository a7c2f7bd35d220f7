"""Data: upload an export, check how it was read and mapped, confirm."""

import hashlib

import streamlit as st

from ecom_analytics import pipeline, schema
from ecom_analytics.cleaning import OUTLIER_POLICIES
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.i18n import t, tm
from ecom_analytics.ui.router import page_guard

page_guard()

NONE = "(not in this file)"  # an option value: shown through format_func, never stored
KIND_LABELS = {"auto": t("Detect automatically"), "orders": t("Orders (one row per order line)"),
               "events": t("Behaviour events (views, carts, purchases)"),
               "sales": t("Sales per period (date, value; optional series and holiday/promotion flag)")}

st.title(t("Data"))
st.caption(t("Upload an orders or behaviour-events export. The app proposes how its columns map to the "
             "canonical table; check it, change what is wrong, and confirm."))

flash = st.session_state.pop("data_flash", None)
if flash:
    st.success(flash, icon=":material/task_alt:")
    c1, c2 = st.columns(2)
    c1.page_link("pages/data_quality.py", label=t("See the cleaning report"), icon=":material/rule:",
                 query_params=state.link_params())
    c2.page_link("pages/overview.py", label=t("Go to the overview"), icon=":material/insights:",
                 query_params=state.link_params())

kind_choice = st.radio(t("What is in the file?"), list(KIND_LABELS), format_func=KIND_LABELS.get,
                       horizontal=True, key="data_kind")
upload = st.file_uploader(
    t("Export file"), key="data_upload",
    type=["csv", "tsv", "txt", "dat", "gz", "zip", "xlsx", "parquet"],
    help=t("CSV, TSV or whitespace-separated text (any delimiter, with or without header), Excel .xlsx, "
           "Parquet, or any of them in .gz/.zip. UTF-8, GBK/GB18030 and Latin-1 are detected."),
)

if upload is None:
    with st.expander(t("Open data stored earlier in this workspace"), icon=":material/folder_open:"):
        with widgets.friendly_errors(t("Listing the workspace")):
            stored = state.workspace().list_datasets()
            if stored.empty:
                st.write(t("The workspace is empty."))
            for row in stored.itertuples():
                c1, c2 = st.columns([4, 1])
                c1.markdown(t("**{name}** · {kind} · {rows:,} rows kept · {created} UTC", name=row.name,
                              kind=t(row.kind), rows=int(row.rows_clean), created=f"{row.created_at:%Y-%m-%d %H:%M}"))
                if c2.button(t("Open"), key=f"open_{row.dataset_id}"):
                    widgets.make_current(row.kind, row.dataset_id)
                    st.rerun()
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()
kind = None if kind_choice == "auto" else kind_choice
prepared = None
with widgets.friendly_errors(t("Reading '{name}'", name=upload.name)):
    with st.spinner(t("Reading {name} ({mb:,.1f} MB)…", name=upload.name, mb=len(data) / 2**20)):
        prepared = loaders.prepared_upload(digest, data, upload.name, kind)
if prepared is None:
    st.info(t("Nothing was loaded; the data you loaded earlier is unchanged."), icon=":material/info:")
    st.stop()

raw = prepared.raw
info = raw.describe()
mapping = prepared.mapping
st.subheader(t("How the file was read"))
cols = st.columns(5)
cols[0].metric(t("Rows"), f"{info['rows']:,}")
cols[1].metric(t("Columns"), len(info["columns"]))
cols[2].metric(t("Format"), t("{format} in {compression}", format=(info["format"] or "").upper(),
                              compression=info["compression"]) if info["compression"] else (info["format"] or "").upper())
cols[3].metric(t("Encoding"), info["encoding"] or t("binary"))
cols[4].metric(t("Detected as"), t(mapping.kind))
details = []
if info["delimiter"]:
    details.append(t("values separated by **{delimiter}**", delimiter=t(info["delimiter"])))
details.append(t("first line is a **header**") if info["header"]
               else t("**no header** line: columns mapped from their values"))
st.markdown(t("; ").join(details) + t("."))
for note in info["notes"] + mapping.notes:
    st.warning(tm(note), icon=":material/warning:")
if mapping.pii_columns:
    st.info(t("Personal data detected in {columns}. These columns are masked below and never stored; an e-mail "
              "used as the customer key is replaced by a salted hash.",
              columns=", ".join(f"**{c}** ({k})" for c, k in mapping.pii_columns.items())),
            icon=":material/shield_person:")
preview = prepared.preview(15)
st.dataframe(preview, hide_index=True, placeholder="—", height=min(400, 35 * (len(preview) + 1) + 3))

st.subheader(t("Column mapping"))
st.caption(t("Required columns are marked ★. Confidence comes from the header name and from whether the "
             "values fit (dates that parse, numbers, event names)."))
options = [NONE] + [str(c) for c in raw.frame.columns]
required = {"orders": {"customer_id", "timestamp"}, "events": {"user_id", "timestamp"},
            "sales": {"timestamp", "value"}}[mapping.kind]
chosen: dict[str, str | None] = {}
slots = {}
grid = st.columns(3)
for i, (canonical, choice) in enumerate(mapping.choices.items()):
    with grid[i % 3]:
        default = options.index(choice.source) if choice.source in options else 0
        label = canonical + (" ★" if canonical in required else "")
        picked = st.selectbox(label, options, index=default, key=f"map_{digest[:12]}_{mapping.kind}_{canonical}",
                              help=t(schema.DESCRIPTIONS[mapping.kind][canonical]),
                              format_func=lambda o: t(NONE) if o == NONE else o)
        chosen[canonical] = None if picked == NONE else picked
        if picked == NONE and choice.source is None:
            st.markdown(t(":gray[<small>no matching column found</small>]"), unsafe_allow_html=True)
        elif picked == (choice.source or NONE):
            tone = "green" if choice.confidence >= 0.8 else "orange" if choice.confidence >= 0.5 else "gray"
            st.markdown(t(":{tone}[{share:.0%}] <small>{reason}</small>", tone=tone, share=choice.confidence,
                          reason=tm(choice.reason)), unsafe_allow_html=True)
        else:
            st.markdown(t(":blue[chosen by you]"))
        slots[canonical] = st.empty()
final = mapping.override(**{c: s for c, s in chosen.items() if s != mapping.choices[c].source})
with widgets.friendly_errors(t("Checking the mapped columns")):
    for canonical, parts in prepared.check(final).items():
        tone = "red" if any("cannot be read" in p for p in parts) else "gray"
        note = t(" · ").join(tm(p) for p in parts)
        slots[canonical].markdown(t(":{tone}[<small>{note}</small>]", tone=tone, note=note), unsafe_allow_html=True)
missing = final.missing_required()
if missing:
    st.error(t("No column was recognised for {columns}. Choose it in the mapping above, or check that this is an "
               "{kind} export: without it the file cannot be used.", columns=t(", ").join(t(m) for m in missing),
               kind=t(final.kind)),
             icon=":material/error:")

st.subheader(t("Confirm"))
c1, c2 = st.columns([2, 3])
name = c1.text_input(t("Dataset name"), value=raw.source_name, max_chars=120, key=f"name_{digest[:12]}")
policy = c2.radio(t("Extreme quantities or amounts"), OUTLIER_POLICIES, horizontal=True, key="outlier_policy",
                  format_func={"flag": t("Keep and flag them"), "quarantine": t("Set them aside")}.get,
                  help=t("Outliers are lines far above the rest (beyond Q3 + 5 IQR on a log scale), "
                         "e.g. an 80,995-unit line. Flagged lines stay in the analysis."),
                  disabled=final.kind != "orders")
if st.button(t("Confirm and clean"), type="primary", disabled=bool(missing), icon=":material/check:"):
    with widgets.friendly_errors(t("Cleaning the file")):
        with st.status(t("Cleaning…"), expanded=True) as status:
            st.write(t("Reading values with the chosen mapping and applying the cleaning rules…"))
            result = pipeline.process(prepared, final, outlier_policy=policy, salt=state.workspace().salt(), name=name)
            st.write(t("Saving to the workspace…"))
            pipeline.store(result, prepared, state.workspace())
            loaders.dataset_info.clear()
            status.update(label=t("Cleaned and saved"), state="complete")
        widgets.make_current(result.kind, result.dataset_id)
        rep = result.report["cleaning"]
        st.session_state["data_flash"] = t(
            "**{name}** is ready as the current {kind}: {rows_in:,} rows in, {kept:,} kept, {out:,} set aside with a "
            "reason.", name=result.name, kind=t(result.kind), rows_in=rep["rows_in"], kept=rep["rows_clean"],
            out=rep["rows_quarantined"])
        st.rerun()
