"""Data: upload an export, check how it was read and mapped, confirm."""

import hashlib

import streamlit as st

from ecom_analytics.ingest import layouts, pipeline, schema
from ecom_analytics.ingest import upload as upload_path
from ecom_analytics.ingest.cleaning import OUTLIER_POLICIES
from ecom_analytics.ingest.readers import LOW_CONFIDENCE, LOW_CONFIDENCE_NOTE
from ecom_analytics.ingest.stacking import STACKED, stack_same_layout
from ecom_analytics.ingest.tables import CATALOGUES_LEFT_OUT
from ecom_analytics.ui import i18n, loaders, profile_view, state, tables_view, widgets
from ecom_analytics.ui.i18n import t
from ecom_analytics.ui.router import page_guard

#: the zones offered for times read as UTC (any IANA name works from the CLI's --timezone)
TIME_ZONES = ["UTC", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Asia/Kolkata",
              "Asia/Dubai", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Moscow",
              "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
              "America/Mexico_City", "Australia/Sydney", "Pacific/Auckland", "Africa/Johannesburg"]

page_guard()

NONE = "(not in this file)"  # an option value: shown through format_func, never stored
KIND_LABELS = {"auto": t("Detect automatically"), "orders": t("Orders (one row per order line)"),
               "events": t("Behaviour events (views, carts, purchases)"),
               "sales": t("Sales per period (date, value; optional series and holiday/promotion flag)")}
AUTO = "auto"  # a reading option left to detection
ENCODING_LABELS = {AUTO: t("Automatic"), "utf-8": "UTF-8", "utf-16": "UTF-16",
                   "gb18030": t("GB18030 (also GBK, GB2312; simplified Chinese)"), "big5": t("Big5 (traditional Chinese)"),
                   "shift_jis": t("Shift-JIS (Japanese)"), "euc-kr": t("EUC-KR (Korean)"),
                   "cp1250": t("cp1250 (Central European)"), "cp1251": t("cp1251 (Cyrillic)"),
                   "cp1252": t("cp1252 (Western European)"), "cp1257": t("cp1257 (Baltic)"),
                   "latin-1": t("Latin-1 (ISO-8859-1)")}
DELIMITER_LABELS = {AUTO: t("Automatic"), "comma": t("comma ( , )"), "tab": t("tab"), "semicolon": t("semicolon ( ; )"),
                    "pipe": t("pipe ( | )"), "whitespace": t("whitespace (spaces or tabs)")}
HEADER_LABELS = {AUTO: t("Automatic"), "header": t("First line is a header"), "none": t("No header line")}
FLASH_ICONS = {"success": ":material/task_alt:", "warning": ":material/warning:", "error": ":material/error:"}

st.title(t("Data"))
st.caption(t("Upload an orders or behaviour-events export. The app proposes how its columns map to the "
             "canonical table; check it, change what is wrong, and confirm."))
st.caption(t("An export in several tables (order header, line items, customers, payments, products) is uploaded "
             "in one go: choose all its files together and they are joined by their keys."))

flash = st.session_state.pop("data_flash", None)
if flash:
    show = {"success": st.success, "warning": st.warning, "error": st.error}[flash["tone"]]
    show(flash["text"], icon=FLASH_ICONS[flash["tone"]])
    if flash["tone"] != "error":  # an error's dataset kept no row and did not become current
        c1, c2 = st.columns(2)
        c1.page_link("pages/data_quality.py", label=t("See the cleaning report"), icon=":material/rule:",
                     query_params=state.link_params())
        c2.page_link("pages/overview.py", label=t("Go to the overview"), icon=":material/insights:",
                     query_params=state.link_params())

kind_choice = st.radio(t("What is in the file?"), list(KIND_LABELS), format_func=KIND_LABELS.get,
                       horizontal=True, key="data_kind")
uploads = st.file_uploader(
    t("Export file"), key="data_upload", accept_multiple_files=True,
    type=["csv", "tsv", "txt", "dat", "gz", "zip", "xlsx", "parquet"],
    help=t("CSV, TSV or whitespace-separated text (any delimiter, with or without header), Excel .xlsx, "
           "Parquet, or any of them in .gz/.zip. The encoding, delimiter and header are detected; change them "
           "under Reading options once the file is uploaded."),
)
stacked = stack_same_layout([(u.getvalue(), u.name) for u in uploads]) if len(uploads or []) > 1 else None
if stacked is not None:  # a shop's yearly exports of one layout: one export
    st.info(t(STACKED, **stacked[2]), icon=":material/stacks:")
    uploads = [loaders.StackedUpload(stacked[1], stacked[0])]
if len(uploads or []) > 1:  # the tables of one export: roles, keys, person key, revenue, then Confirm
    payloads = [(u.getvalue(), u.name) for u in uploads]
    with st.spinner(t("Reading the files…")):
        alone = loaders.sales_among(tuple(hashlib.sha256(d).hexdigest() for d, _ in payloads), payloads)
    if alone is None:
        tables_view.several_files(uploads)
        st.stop()
    st.info(t(CATALOGUES_LEFT_OUT, sales=uploads[alone].name,
              others=t(", ").join(f"'{u.name}'" for i, u in enumerate(uploads) if i != alone)),
            icon=":material/table_view:")
    uploads = [uploads[alone]]
upload = uploads[0] if uploads else None

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
home = state.workspace().home
# Reading options: per upload; a file whose header line is one the analyst chose options for starts with them
keys = {name: f"read_{name}_{digest[:12]}" for name in ("encoding", "delimiter", "header")}
remembered_reading = layouts.find_reading_layout(home, data)
start = remembered_reading.reading if remembered_reading else {}
start = {"encoding": start.get("encoding", AUTO), "delimiter": start.get("delimiter", AUTO),
         "header": {True: "header", False: "none"}.get(start.get("header"), AUTO)}
start = {k: v if v in labels else AUTO for (k, v), labels in
         zip(start.items(), (ENCODING_LABELS, DELIMITER_LABELS, HEADER_LABELS))}
reading_picked = {name: st.session_state.get(key, start[name]) for name, key in keys.items()}
reading = layouts.ReadingOptions(None if reading_picked["encoding"] == AUTO else reading_picked["encoding"],
                                 None if reading_picked["delimiter"] == AUTO else reading_picked["delimiter"],
                                 None if reading_picked["header"] == AUTO else reading_picked["header"] == "header")
options_box = st.container()  # drawn once the file is read, above what was read

prepared = None
# a large text file is shown from its head and cleaned by DuckDB on confirmation (ingest/upload.py)
large = upload_path.is_large(data, upload.name) and reading.is_automatic()
with widgets.friendly_errors(t("Reading '{name}'", name=upload.name)):
    with st.spinner(t("Reading {name} ({mb:,.1f} MB)…", name=upload.name, mb=len(data) / 2**20)):
        prepared = loaders.prepared_head(digest, data, upload.name, kind) if large else \
            loaders.prepared_upload(digest, data, upload.name, kind, **reading.read_kwargs())

raw = prepared.raw if prepared is not None else None
low_confidence = (raw is not None and reading.encoding is None and raw.encoding_confidence is not None
                  and raw.encoding_confidence < LOW_CONFIDENCE)
with options_box:
    with st.expander(t("Reading options"), icon=":material/tune:",
                     expanded=prepared is None or low_confidence or not reading.is_automatic()
                     or bool(flash and flash["tone"] != "success")):
        if raw is None:
            st.markdown(t("The file could not be read with these options. Choose its encoding, delimiter or "
                          "header here and it is read again."))
        c1, c2, c3 = st.columns(3)
        c1.selectbox(t("Encoding"), list(ENCODING_LABELS), index=list(ENCODING_LABELS).index(start["encoding"]),
                     key=keys["encoding"], format_func=ENCODING_LABELS.get,
                     help=t("How the file's bytes become letters. Choose it when names or headers look garbled "
                            "(such as ¶©µ¥ºÅ for 订单号). Text files only."))
        c2.selectbox(t("Delimiter"), list(DELIMITER_LABELS), index=list(DELIMITER_LABELS).index(start["delimiter"]),
                     key=keys["delimiter"], format_func=DELIMITER_LABELS.get,
                     help=t("What separates the values on a line. Choose it when the file was read as one column "
                            "or its columns are cut in the wrong places. Text files only."))
        c3.radio(t("Header"), list(HEADER_LABELS), index=list(HEADER_LABELS).index(start["header"]),
                 key=keys["header"], format_func=HEADER_LABELS.get,
                 help=t("Whether the first line names the columns. Without a header, columns are mapped from "
                        "their values."))
        if raw is not None:  # what each option gave, under it
            if reading.encoding:
                c1.caption(t("Read as **{encoding}**, as you chose.", encoding=raw.encoding))
            elif raw.encoding:
                c1.caption(t("Detected: **{encoding}**, {share:.0%} confidence.", encoding=raw.encoding,
                             share=raw.encoding_confidence or 0))
            else:
                c1.caption(t("No text encoding: a workbook or Parquet file."))
            if raw.delimiter:
                delimiter = t(raw.describe()["delimiter"])
                c2.caption(t("Read with **{delimiter}**, as you chose.", delimiter=delimiter) if reading.delimiter
                           else t("Detected: **{delimiter}**.", delimiter=delimiter))
            header = t("a header line") if raw.has_header else t("no header line")
            c3.caption(t("Read with {header}, as you chose.", header=header) if reading.has_header is not None
                       else t("Detected: {header}.", header=header))
        if remembered_reading is not None:
            st.caption(t("Options remembered from **{name}** ({date}), a file with the same header line.",
                         name=remembered_reading.source_name, date=remembered_reading.saved_day))
    if low_confidence:
        st.warning(t("The encoding was guessed as **{encoding}**, with low confidence ({share:.0%}). If headers or "
                     "names below look garbled (such as ¶©µ¥ºÅ), choose the file's encoding under **Reading "
                     "options** above.", encoding=raw.encoding, share=raw.encoding_confidence),
                   icon=":material/translate:")

if prepared is None:
    st.info(t("Nothing was loaded; the data you loaded earlier is unchanged."), icon=":material/info:")
    st.stop()

info = raw.describe()
mapping = prepared.mapping
layout = layouts.find_layout(home, raw.frame, mapping.kind, raw.has_header)
if layout is not None:
    mapping = layouts.apply_layout(mapping, raw.frame, layout)
st.subheader(t("How the file was read"))
if large:
    st.info(t("A large file ({mb:,.0f} MB): the rows, preview, profile and value checks below come from its first "
              "{head:,.0f} MB. Confirming cleans the whole file: with DuckDB, without loading it into memory, when it "
              "is a plain UTF-8 orders file and you keep the proposed mapping; otherwise with the Python reader, "
              "which needs about five times the file's size in memory.", mb=len(data) / 2**20,
              head=upload_path.stream.HEAD_BYTES / 2**20), icon=":material/dataset:")
cols = st.columns(5)
cols[0].metric(t("Rows in the first {head:,.0f} MB", head=upload_path.stream.HEAD_BYTES / 2**20) if large
               else t("Rows"), i18n.number(info["rows"]))
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
for note in raw.notes + mapping.notes:
    if low_confidence and note.code == LOW_CONFIDENCE_NOTE:
        continue  # said above, with the option that fixes it
    widgets.show_note(note)
if mapping.pii_columns:
    st.info(t("Personal data detected in {columns}. These columns are masked below and never stored; an e-mail "
              "used as the customer key is replaced by a salted hash.",
              columns=", ".join(f"**{c}** ({k})" for c, k in mapping.pii_columns.items())),
            icon=":material/shield_person:")
options_tag = hashlib.sha256(repr(reading).encode()).hexdigest()[:6]
preview = prepared.preview(15)
st.dataframe(preview, hide_index=True, placeholder="—", height=min(400, 35 * (len(preview) + 1) + 3))
profile_box = st.expander(t("Profile of the columns, before mapping"), icon=":material/query_stats:",
                          key=f"profile_{digest[:12]}", on_change="rerun")
if profile_box.open:  # computed only when opened: a wide file takes a while
    with profile_box:
        profile_view.show(prepared, digest, options_tag, tuple(mapping.pii_columns))

st.subheader(t("Column mapping"))
st.caption(t("Required columns are marked ★. Confidence comes from the header name and from whether the "
             "values fit (dates that parse, numbers, event names)."))
if layout is not None:
    st.info(t("Mapping remembered from **{name}** ({date}), the last file of this layout that was confirmed. "
              "Change any column below; confirming remembers your choice for the next file.",
              name=layout.source_name, date=layout.saved_day), icon=":material/history:")
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
        picked = st.selectbox(label, options, index=default, key=f"map_{digest[:12]}_{options_tag}_{mapping.kind}_{canonical}",
                              help=t(schema.DESCRIPTIONS[mapping.kind][canonical]),
                              format_func=lambda o: t(NONE) if o == NONE else o)
        chosen[canonical] = None if picked == NONE else picked
        if picked == NONE and choice.source is None and choice.confidence > 0:  # left out, as remembered
            st.markdown(t(":gray[<small>{reason}</small>]", reason=widgets.note_text(choice.reason)),
                        unsafe_allow_html=True)
        elif picked == NONE and choice.source is None:
            st.markdown(t(":gray[<small>no matching column found</small>]"), unsafe_allow_html=True)
        elif picked == (choice.source or NONE):
            tone = "green" if choice.confidence >= 0.8 else "orange" if choice.confidence >= 0.5 else "gray"
            st.markdown(t(":{tone}[{share:.0%}] <small>{reason}</small>", tone=tone, share=choice.confidence,
                          reason=widgets.note_text(choice.reason)), unsafe_allow_html=True)
        else:
            st.markdown(t(":blue[chosen by you]"))
        slots[canonical] = st.empty()
final = mapping.override(**{c: s for c, s in chosen.items() if s != mapping.choices[c].source})
checks: dict = {}  # canonical column -> coded notes on how its first rows read
with widgets.friendly_errors(t("Checking the mapped columns")):
    checks = prepared.check(final)
    for canonical, parts in checks.items():
        tone = widgets.note_tone(parts)  # red when a part is an error (values that cannot be read)
        note = t(" · ").join(widgets.note_text(p) for p in parts)
        slots[canonical].markdown(t(":{tone}[<small>{note}</small>]", tone=tone, note=note), unsafe_allow_html=True)
missing = final.missing_required()
if missing:
    st.error(t("No column was recognised for {columns}. Choose it in the mapping above, or check that this is an "
               "{kind} export: without it the file cannot be used.", columns=t(", ").join(t(m) for m in missing),
               kind=t(final.kind)),
             icon=":material/error:")

st.subheader(t("Confirm"))
c1, c2, c3 = st.columns([2, 3, 2])
name = c1.text_input(t("Dataset name"), value=raw.source_name, max_chars=120, key=f"name_{digest[:12]}")
policy = c2.radio(t("Extreme quantities or amounts"), OUTLIER_POLICIES, horizontal=True, key="outlier_policy",
                  format_func={"flag": t("Keep and flag them"), "quarantine": t("Set them aside")}.get,
                  help=t("Outliers are lines far above the rest (beyond Q3 + 5 IQR on a log scale), "
                         "e.g. an 80,995-unit line. Flagged lines stay in the analysis."),
                  disabled=final.kind != "orders")
timezone = None
if pipeline.checks_read_utc(checks):  # Unix times or times with a zone: read as UTC
    timezone = c3.selectbox(t("Time zone of the shop"), TIME_ZONES, key=f"tz_{digest[:12]}",
                            format_func=lambda z: t("UTC, as read") if z == "UTC" else z,
                            help=t("The dates were read as UTC (Unix times or times with a zone). Choose the shop's "
                                   "time zone to see hours and days as its customers lived them (Taobao: "
                                   "Asia/Shanghai)."))
    timezone = None if timezone == "UTC" else timezone
ad_hashes = False
if final.kind == "orders" and pipeline.email_columns(final):
    ad_hashes = st.checkbox(
        t("Keep SHA-256 digests of the e-mails for ad platforms (Google Ads Customer Match, Meta custom audiences)"),
        value=False, key=f"adhash_{digest[:12]}",
        help=t("Off by default. The addresses are never stored; with this on, each e-mail's unsalted SHA-256 digest "
               "is kept with the orders, so segments can be downloaded in the ad platforms' layouts. A digest is "
               "not anonymous: anyone with a list of addresses can hash it and see who is in the file. Use it "
               "only where your privacy policy allows sharing customers with these platforms."))
if st.button(t("Confirm and clean"), type="primary", disabled=bool(missing), icon=":material/check:"):
    with widgets.friendly_errors(t("Cleaning the file")):
        with st.status(t("Cleaning…"), expanded=True) as status:
            st.write(t("Reading values with the chosen mapping and applying the cleaning rules…"))
            path_note = None
            if large:
                result, path_note = upload_path.ingest_upload(
                    data, upload.name, state.workspace(), mapping=final, proposed=prepared.mapping,
                    outlier_policy=policy, name=name, timezone=timezone, ad_platform_hashes=ad_hashes)
            else:
                result = pipeline.process(prepared, final, outlier_policy=policy, salt=state.workspace().salt(),
                                          name=name, timezone=timezone, ad_platform_hashes=ad_hashes)
                st.write(t("Saving to the workspace…"))
                pipeline.store(result, prepared, state.workspace())
            loaders.dataset_info.clear()
            rep = result.report["cleaning"]
            cleaning = getattr(result, "cleaning", None)  # the SQL path keeps its quarantine in the store only
            problem = layouts.reading_problem(rep, result.mapping.as_dict(),
                                              cleaning.quarantine if cleaning is not None else None)
            status.update(label=t("Cleaned and saved"), state="complete" if problem is None else "error")
        if problem is None or problem.rows_clean > 0:
            widgets.make_current(result.kind, result.dataset_id)
        if problem is None:
            text = t("**{name}** is ready as the current {kind}: {rows_in:,} rows in, {kept:,} kept, {out:,} set aside "
                     "with a reason.", name=result.name, kind=t(result.kind), rows_in=rep["rows_in"],
                     kept=rep["rows_clean"], out=rep["rows_quarantined"])
            if large:  # which reader cleaned it, and why when it was not DuckDB
                text += " " + (t("Read by DuckDB, streaming.") if path_note is None else widgets.note_text(path_note))
            try:  # the next file of this layout is proposed this mapping and these reading options
                layouts.remember_layout(home, raw.frame, final, has_header=raw.has_header, source_name=raw.source_name,
                                        reading=reading, data=data)
            except OSError as exc:
                text += " " + t("(The mapping could not be remembered for the next file: {error}.)", error=exc)
            # what the reading warned about (event types it does not know, partly refunded orders ...) is said here
            # too, not only on the Data quality page
            warned = [pipeline.note_from_dict(n) for n in result.report.get("coded_notes", [])
                      if isinstance(n, dict) and n.get("severity") == "warning"]
            if warned:
                text += "\n\n" + " ".join(widgets.note_text(n) for n in warned)
            st.session_state["data_flash"] = {"tone": "warning" if warned else "success", "text": text}
        else:
            why = widgets.note_text(problem.reason())  # which rule set the rows aside, and where
            fix = t("Check the encoding, delimiter and header under **Reading options** below, and the column "
                    "mapping, then confirm again.")
            if problem.rows_clean == 0:
                text = t("**{name}**: 0 of {rows_in:,} rows could be kept: {why} It is stored with its cleaning "
                         "report, but the data loaded earlier stays current. {fix}", name=result.name,
                         rows_in=problem.rows_in, why=why, fix=fix)
            else:
                text = t("**{name}** is the current {kind}, but only {kept:,} of {rows_in:,} rows ({share:.1%}) could "
                         "be kept: {why} {fix}", name=result.name, kind=t(result.kind), kept=problem.rows_clean,
                         rows_in=problem.rows_in, share=problem.share_kept, why=why, fix=fix)
            st.session_state["data_flash"] = {"tone": problem.severity, "text": text}
        st.rerun()
