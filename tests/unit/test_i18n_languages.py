"""gettext behaviour with hand-written expected strings: plurals, contexts, Babel's formats, and a
third language that is only a catalogue (no code change)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ecom_analytics import i18n
from ecom_analytics.i18n import (format_day, format_money, format_number, format_percent, translate, translate_in,
                                 translate_plural)

FRENCH = '''msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Overview"
msgstr "Vue d'ensemble"

msgid "{n} week"
msgid_plural "{n} weeks"
msgstr[0] "{n} semaine"
msgstr[1] "{n} semaines"
'''


def test_plural_forms_follow_each_languages_rule():
    assert translate_plural("{n} week", "{n} weeks", 1, "en") == "1 week"
    assert translate_plural("{n} week", "{n} weeks", 3, "en") == "3 weeks"
    assert translate_plural("{n} week", "{n} weeks", 1, "zh") == "1 周"
    assert translate_plural("{n} week", "{n} weeks", 12, "zh") == "12 周"
    assert translate_plural("{n} day", "{n} days", 2, "zh") == "2 天"
    # code that picks the English form itself finds the plural entry by either form
    assert translate("{n} weeks", "zh", n=5) == "5 周"
    assert translate("{n} week", "zh", n=1) == "1 周"
    # a plural nobody translated stays English, with English's rule
    assert translate_plural("{n} crate", "{n} crates", 1, "zh") == "1 crate"
    assert translate_plural("{n} crate", "{n} crates", 4, "zh") == "4 crates"


def test_a_context_separates_one_english_word_with_two_meanings():
    assert translate("Sales", "zh") == "销售表"  # the kind of table on the Data page
    assert translate_in("report heading", "Sales", "zh") == "销售"  # a section of the report
    assert translate_in("report heading", "Sales", "en") == "Sales"
    assert translate_in("report heading", "Overview", "zh") == "概览"  # no entry in the context: as usual


def test_babel_formats_numbers_money_and_days():
    assert format_money(1234.5, "GBP", "zh") == "£1,234.50"
    assert format_money(1234.5, "GBP", "en") == "£1,234.50"
    assert format_money(-1234.5, "USD", "zh") == "-US$1,234.50"
    assert format_money(-1234.5, "USD", "en") == "-$1,234.50"
    assert format_money(1234.5, "£", "zh") == "£1,234.50"
    assert format_number(1234567.891, "zh", 2) == "1,234,567.89"
    assert format_number(0.5, "en") == "0"  # half to even, as Babel rounds
    assert format_percent(0.1234, "en") == "12.3%"
    assert format_day(dt.date(2024, 11, 28), "zh") == "2024年11月28日"
    assert format_day(dt.date(2024, 11, 28), "en") == "2024-11-28"
    assert format_day("2024-11-28 17:45", "zh", with_time=True) == "2024年11月28日 17:45"
    assert i18n.babel_locale("zh").language == "zh" and str(i18n.babel_locale("zh")) == "zh_Hans_CN"


def test_the_languages_come_from_the_catalogues_present():
    assert list(i18n.LANGUAGES) == ["en", "zh"]
    assert i18n.LANGUAGES["zh"] == "中文 (简体)"  # Babel's name of zh_Hans in Chinese
    assert i18n.LANGUAGES["en"] == "English"


@pytest.fixture()
def with_french(tmp_path, monkeypatch):
    """A copy of the catalogues plus a tiny French one, used as the app's catalogues for the test."""
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    (locales / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (locales / "fr" / "LC_MESSAGES" / "messages.po").write_text(FRENCH, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", Path(locales))
    i18n.reload()
    yield
    monkeypatch.undo()
    i18n.reload()


def test_a_third_language_is_a_catalogue_and_no_code(with_french):
    assert i18n.LANGUAGES == {"en": "English", "fr": "français", "zh": "中文 (简体)"}
    assert translate("Overview", "fr") == "Vue d'ensemble"
    assert translate("Forecast", "fr") == "Forecast"  # not translated yet: English
    assert translate_plural("{n} week", "{n} weeks", 1, "fr") == "1 semaine"
    assert translate_plural("{n} week", "{n} weeks", 2, "fr") == "2 semaines"
    assert format_money(1234.5, "EUR", "fr") == "1\u202f234,50\xa0€"  # Babel's French grouping and symbol place
    assert format_number(1234.5, "fr", 1) == "1\u202f234,5"
    assert translate("Overview", "zh") == "概览"  # the others still load
    # numbers formatted in a template take the language's symbols, rounded as Python rounds them
    template = "{rows:,} rows, revenue {revenue:,.2f}, {share:.1%} kept, {n} files"
    assert translate(template, "fr", rows=154144, revenue=2810341.275, share=0.8661, n=3) == \
        "154\u202f144 rows, revenue 2\u202f810\u202f341,27, 86,6% kept, 3 files"
    assert translate(template, "en", rows=154144, revenue=2810341.275, share=0.8661, n=3) == \
        "154,144 rows, revenue 2,810,341.27, 86.6% kept, 3 files"
    assert translate(template, "zh", rows=154144, revenue=2810341.275, share=0.8661, n=3) == \
        "154,144 rows, revenue 2,810,341.27, 86.6% kept, 3 files"
    assert translate_plural("{n:,} row", "{n:,} rows", 1200, "fr") == "1\u202f200 rows"  # no entry yet: English words
    assert translate("{name}: {when}", "fr", name="v1.2, final", when="2024-01-05") == "v1.2, final: 2024-01-05"


def test_the_language_box_offers_the_new_language(with_french):
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from ecom_analytics.ui.i18n import language_selector, t

        language_selector()
        st.title(t("Overview"))

    at = AppTest.from_function(page)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Vue d'ensemble"
    box = at.sidebar.selectbox(key="lang_box")
    assert box.options == ["English", "français", "中文 (简体)"]
    assert box.value == "fr"


def test_a_coded_note_is_worded_by_its_code_nested_notes_first():
    from ecom_analytics.runs import Note

    note = Note("{n:,} missing {units} were filled with zero (in {count} series)",
                {"n": 1234, "units": Note("weeks"), "count": 2}, "info")
    assert translate(note, "en") == "1,234 missing weeks were filled with zero (in 2 series)"
    assert translate(note, "zh") == "1,234 个缺失的周已用零填充（涉及 2 个序列）"
    assert i18n.translate_message(note, "zh") == "1,234 个缺失的周已用零填充（涉及 2 个序列）"
    assert i18n.untranslated_parts(note, "zh") == []
    assert i18n.untranslated_parts(Note("A code nobody translated {x}", {"x": Note("crates")}), "zh") == \
        ["A code nobody translated {x}", "crates"]
