"""Ingest notes as data (issue #18 item 3): each note the reading, parsing, mapping and pipeline
steps return is ``runs.Note(code, params, severity)``; the code is the catalogue's message id, so
the Chinese comes from ``notes.po`` through ``translate(code, "zh", **params)``, and the English
sentence (``note.english()``) is what the reports and the CLI's JSON keep, unchanged."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from ecom_analytics.i18n import translate
from ecom_analytics.ingest import layouts, pipeline
from ecom_analytics.ingest.mapping import propose_mapping
from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps
from ecom_analytics.ingest.readers import LOW_CONFIDENCE_NOTE, read_table
from ecom_analytics.runs import Note

import pandas as pd

TAOBAO = b"1,2268318,2520377,pv,1511544070\n1,2333346,2520771,pv,1511544670\n"


def zh(note: Note, **phrases) -> str:
    return translate(note.code, "zh", **{**note.params, **phrases})


def test_a_zip_with_several_files_says_which_it_read_as_a_note():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "exported by the shop\n")
        zf.writestr("orders.csv", "customer,date,amount\nA,2024-01-01,5\nB,2024-01-02,6\n")
    note = read_table(buf.getvalue(), "export.zip").notes[0]
    assert note.code == "The archive holds several files; read the largest, '{chosen}'. Not read: {others}."
    assert dict(note.params) == {"chosen": "orders.csv", "others": "readme.txt"}
    assert note.severity == "info"
    assert note.english() == "The archive holds several files; read the largest, 'orders.csv'. Not read: readme.txt."
    assert zh(note) == "压缩包中有多个文件，已读取其中最大的“orders.csv”。未读取：readme.txt。"


def test_lines_that_do_not_split_are_a_warning_and_the_reader_describes_them_in_english():
    raw = read_table(b"customer,date,amount\nA,2024-01-01,5\nB,2024-01-02,6,7\nC,2024-01-03,8\n", "o.csv")
    note = raw.notes[0]
    assert (note.params, note.severity) == ({"n": 1}, "warning")
    assert raw.describe()["notes"] == ["1 line(s) had a different number of fields than the header; they are kept "
                                       "in the quarantine as 'malformed line'."]
    assert zh(note) == "1 行的字段数与表头不一致；这些行已放入隔离区，原因标记为“malformed_line”。"


def test_the_low_confidence_note_is_found_by_its_code_and_formats_its_share():
    note = Note(LOW_CONFIDENCE_NOTE, {"encoding": "cp1252", "confidence": 0.42}, "warning")
    assert note.english() == ("The text encoding was guessed as cp1252 with low confidence (42%). If names or "
                              "letters look garbled, choose the encoding by hand.")
    assert zh(note) == "文本编码被推测为 cp1252，但把握较低（42%）。如果名称或文字显示为乱码，请手动选择编码。"


def test_parser_notes_are_coded():
    comma = parse_numbers(pd.Series(["49,90", "1.299,00", "3,50"], dtype="string"))
    assert [n.code for n in comma.notes] == ["read with a decimal comma (e.g. 49,90 = 49.90)"]
    mixed = parse_timestamps(pd.Series(["01.03.2024", "2024/03/15 10:00", "04.03.2024"], dtype="string"))
    note = next(n for n in mixed.notes if n.code.startswith("mixed date formats"))
    assert note.params == {"formats": "DD.MM.YYYY, YYYY/MM/DD HH:mm"}
    assert zh(note) == "同一列中混用了多种日期格式：DD.MM.YYYY, YYYY/MM/DD HH:mm；每个值都按与之相符的格式读取"
    unix = parse_timestamps(pd.Series(["1511544070", "1511544670"], dtype="string"))
    assert [n.code for n in unix.notes] == ["Unix seconds (UTC)"]


def test_mapping_reasons_are_coded_with_the_meaning_as_a_phrase_parameter():
    frame = pd.DataFrame({"InvoiceDate": ["2024-01-01 10:00"] * 3, "CustomerID": ["1", "2", "3"],
                          "Amount": ["5.00", "6.50", "7.25"]})
    mapping = propose_mapping(frame, "orders")
    reason = mapping.choices["timestamp"].reason
    assert reason.code == "header '{header}' is a known name" and reason.params == {"header": "InvoiceDate"}
    assert zh(reason) == "表头“InvoiceDate”是已知的列名"
    missing = mapping.choices["country"].reason
    assert (missing.code, missing.english(), translate(missing.code, "zh")) == (
        "no matching column", "no matching column", "没有匹配的列")
    # a reason from the values: a meaning the UI words too
    headless = pd.DataFrame({0: ["2024-01-01 10:00", "2024-01-02 11:00"] * 10, 1: ["u1", "u2"] * 10,
                             2: ["pv", "cart"] * 10, 3: ["7", "8"] * 10})
    events = propose_mapping(headless, "events", has_header=False)
    assert events.notes == [Note("The file has no header; columns were mapped from their values. Check them.",
                                 severity="warning")]
    assert events.choices["timestamp"].reason == Note("its values are dates or Unix times")
    note = Note("a few words repeated ({n:,} distinct): {meaning}", {"n": 1200, "meaning": "a category"})
    assert note.english() == "a few words repeated (1,200 distinct): a category"
    assert zh(note, meaning=translate("a category", "zh")) == "少量反复出现的词（1,200 个不同值）：类目"


def test_a_reason_with_few_fitting_values_extends_the_code():
    frame = pd.DataFrame({"date": ["2024-01-01", "soon", "later", "never", "x", "y"], "customer": list("abcdef"),
                          "amount": ["1.00"] * 6})
    reason = propose_mapping(frame, "orders").choices["timestamp"].reason
    assert reason.code == "header '{header}' is a known name, but only {fit:.0%} of its values fit"
    fit = reason.params["fit"]
    assert 0 <= fit < 0.5 and reason.params["header"] == "date"
    assert reason.english() == f"header 'date' is a known name, but only {fit:.0%} of its values fit"
    assert zh(reason) == f"表头“date”是已知的列名，但只有 {fit:.0%} 的值相符"


def test_remembered_reasons_name_the_file_and_day(tmp_path):
    jan = b"customer id,invoice date,amount,country\n1,2024-01-01,5.00,UK\n"
    first = pipeline.prepare(jan, "jan.csv")
    layout = layouts.remember_layout(tmp_path, first.raw.frame, first.mapping.override(country=None),
                                     has_header=True, source_name="jan.csv")
    second = pipeline.prepare(jan, "feb.csv")
    applied = layouts.apply_layout(second.mapping, second.raw.frame, layout)
    left_out = applied.choices["country"].reason
    assert left_out.code == "left out, as remembered from '{name}' ({date})"
    assert zh(left_out) == f"不使用，沿用自“jan.csv”（{layout.saved_day}）"


def test_pipeline_notes_are_stored_as_sentences_and_as_codes():
    result = pipeline.process(pipeline.prepare(TAOBAO, "taobao.csv"), timezone="Asia/Shanghai")
    report = result.report
    coded = pipeline.stored_notes(report)
    assert [n.english() for n in coded] == report["notes"]  # the same notes, the sentences unchanged
    zone = next(n for n in coded if n.code == "Times were read as UTC and shown in {timezone}.")
    assert (zone.params, zone.severity) == ({"timezone": "Asia/Shanghai"}, "info")
    sessions = next(n for n in coded if n.code.startswith("No session column"))
    assert sessions.params == {"minutes": 30}
    assert zh(sessions) == "没有会话列：已根据每位用户的事件推导会话，超过 30 分钟无事件即开始新会话。"
    assert zh(zone) == "时间按 UTC 读取，并以 Asia/Shanghai 显示。"
    column = next(n for n in coded if n.params.get("column") == "timestamp")
    assert column.code == "{column}: Unix seconds (UTC)" and zh(column) == "timestamp：Unix 秒级时间戳（UTC）"
    json.dumps(report["coded_notes"])  # stored as JSON with the dataset
    # a zone on times written without one is a warning
    local = pipeline.process(pipeline.prepare(b"order,date,customer,amount\n1,2024-01-05 10:00,c,5\n", "n.csv",
                                              kind="orders"), timezone="Asia/Shanghai")
    kept = next(n for n in pipeline.stored_notes(local.report) if "{timezone} was not applied" in n.code)
    assert kept.severity == "warning"


def test_reports_stored_before_notes_were_coded_fall_back_to_their_sentences():
    assert pipeline.stored_notes({"notes": ["amount = quantity x unit_price"]}) is None
    assert pipeline.note_from_dict("a sentence") == Note("a sentence")
    note = Note("{n} line(s) had a different number of fields than the header; they are kept in the quarantine as "
                "'malformed line'.", {"n": 2}, "warning")
    assert pipeline.note_from_dict(pipeline.note_as_dict(note)) == note


def test_the_ingest_summary_keeps_english_notes():
    result = pipeline.process(pipeline.prepare(TAOBAO, "taobao.csv"))
    notes = result.summary()["notes"]
    assert all(isinstance(n, str) for n in notes)
    assert "timestamp: Unix seconds (UTC)" in notes


@pytest.mark.parametrize("severities, tone", [((), "gray"), (("info",), "gray"), (("info", "warning"), "orange"),
                                              (("warning", "error", "info"), "red")])
def test_the_page_colour_follows_the_most_severe_note(severities, tone):
    from ecom_analytics.ui import widgets

    assert widgets.note_tone([Note("x", severity=s) for s in severities]) == tone


def test_the_page_words_a_note_and_its_meaning_in_the_session_language(monkeypatch):
    from ecom_analytics.ui import widgets

    monkeypatch.setattr("ecom_analytics.ui.i18n.current_language", lambda: "zh")
    note = Note("header '{header}' means {meaning}", {"header": "买家", "meaning": "a customer id"})
    assert widgets.note_text(note) == "表头“买家”表示客户编号"
    check = Note(pipeline.CANNOT_BE_READ, {"bad": 1200, "n": 5000}, "error")
    assert widgets.note_text(check) == "前 5,000 个值中有 1,200 个无法读取"
    assert widgets.note_tone([Note(pipeline.DATES_READ_AS, {"format": "DD/MM/YYYY"}), check]) == "red"


@pytest.mark.parametrize("note", [
    {"code": "role_chosen", "params": {"file": "a.csv", "role": "customers"}},
    {"code": "payments_reconcile", "params": {"share": 0.9731, "orders": 12345, "basis": "items_and_freight"}},
    {"code": "items_without_order", "params": {"rows": 1200, "share": 0.05, "file": "orders.csv"}},
])
def test_the_tables_notes_are_worded_from_their_code_without_parsing_english(monkeypatch, note):
    """The tables' notes (ingest.tables.notes) are worded from code and params; the Chinese equals
    what the old regex path made of the English sentence, with the role and basis phrases translated."""
    from ecom_analytics.i18n import translate_message
    from ecom_analytics.ingest.tables.notes import Note as TableNote
    from ecom_analytics.ui import tables_view

    monkeypatch.setattr("ecom_analytics.ui.i18n.current_language", lambda: "zh")
    coded = TableNote(note["code"], note["params"]).as_dict()
    words = tables_view.note_words(coded)
    assert words == translate_message(coded["text"], "zh")
    assert not any(english in words for english in ("customer table", "item prices", "line items"))
    monkeypatch.setattr("ecom_analytics.ui.i18n.current_language", lambda: "en")
    assert tables_view.note_words(coded) == coded["text"]


def test_a_reading_problem_says_why_as_a_coded_note_with_its_severity():
    report = {"rows_in": 10, "rows_clean": 0,
              "rules": [{"rule": "unreadable_number", "quarantined": 9}, {"rule": "duplicate", "quarantined": 1}]}
    quarantine = pd.DataFrame({"reason": ["unreadable_number"] * 9 + ["duplicate"],
                               "detail": ["Preis: 'abc'"] * 9 + [None]})
    problem = layouts.reading_problem(report, {"unit_price": "Preis", "timestamp": "Datum"}, quarantine)
    reason = problem.reason()
    assert (reason.code, dict(reason.params), reason.severity) == (
        "the numbers in column **{column}** cannot be read ({n:,} rows).", {"n": 9, "column": "Preis (unit_price)"},
        "error")
    assert zh(reason) == "列 **Preis (unit_price)** 中的数字无法读取（9 行）。"
    lines = layouts.ReadingProblem("warning", 1000, 20, "malformed_line", 980).reason()
    assert (lines.english(), lines.severity) == ("980 lines do not split into the header's columns.", "warning")
    assert zh(lines) == "980 行无法按表头的列拆分。"
    other = layouts.ReadingProblem("warning", 100, 2, "missing_customer", 98).reason()
    assert other.english() == "98 rows were set aside by the rule “missing_customer”."
