"""Languages: formatting by hand-written expected strings, and no bare English in the UI.

The UI files are parsed with ``ast``: no Streamlit call that shows text may get a bare English
literal (or f-string) instead of ``t(...)``, and ``t`` never gets an f-string. That every string
given to ``t`` has Chinese is checked by Babel's extraction (``test_i18n_catalogue.py``).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pandas as pd
import pytest

from ecom_analytics import i18n
from ecom_analytics.i18n import (format_date, format_money, format_money_short, format_number, format_percent,
                                 format_short, translate)

ROOT = Path(__file__).resolve().parents[2]

# Pages other engineers are writing while the UI is translated: converted when they land.
NOT_YET_CONVERTED: set[str] = set()  # every page is converted now
UI_FILES = sorted(
    p.relative_to(ROOT).as_posix()
    for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ecom_analytics" / "ui").glob("*.py")]
    if p.relative_to(ROOT).as_posix() not in NOT_YET_CONVERTED
)

# Streamlit calls whose first argument (and these keywords) is text the analyst reads.
TEXT_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning", "error", "success",
    "toast", "button", "form_submit_button", "download_button", "link_button", "page_link", "selectbox",
    "multiselect", "radio", "toggle", "checkbox", "text_input", "text_area", "number_input", "date_input",
    "time_input", "slider", "select_slider", "segmented_control", "pills", "file_uploader", "metric", "expander",
    "popover", "tabs", "spinner", "status", "progress", "Page", "Column", "TextColumn", "NumberColumn",
    "CheckboxColumn", "DatetimeColumn", "DateColumn", "ProgressColumn", "LinkColumn", "ListColumn",
    "SelectboxColumn",
}
TEXT_KEYWORDS = {"label", "help", "placeholder", "text", "caption", "title"}
SAME_IN_EVERY_LANGUAGE = {"Language / 语言"}  # the language box reads in both languages
NOT_STREAMLIT = {"log", "logger", "logging", "warnings"}  # log.error("...") is for the server log


def _catalogue() -> dict[str, str]:
    return i18n.catalogue("zh")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _is_english(node: ast.AST) -> bool:
    """A literal or f-string with a Latin letter outside its {fields}: text someone must translate."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_english(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _literals(node: ast.AST):
    """Bare literals reachable without passing through a call (a call such as t(...) is fine)."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        if _is_english(node):
            yield node
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            yield from _literals(element)
    elif isinstance(node, ast.Dict):  # column_config={"col": "Label"} and format_func={...}.get
        for value in node.values:
            yield from _literals(value)
    elif isinstance(node, ast.Attribute):
        yield from _literals(node.value)


TRANSLATING = ("t", "tn", "tc", "translate", "translate_plural", "translate_in", "linked", "linked_tabs")


def _is_t(call: ast.Call) -> bool:
    return (isinstance(call.func, ast.Name) and call.func.id in TRANSLATING) or \
        (isinstance(call.func, ast.Attribute) and call.func.attr in ("t", "tn", "tc"))


def scan(path: str, root: Path = ROOT) -> list[str]:
    """The bare-text problems of one UI file."""
    tree = ast.parse((root / path).read_text(encoding="utf-8"))
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if _is_t(node):
            if any(isinstance(arg, ast.JoinedStr) for arg in node.args[:2]):
                problems.append(f"{path}:{node.lineno} t() gets an f-string; use t('... {{n}}', n=n)")
            continue
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in TEXT_CALLS):
            continue
        if isinstance(func.value, ast.Name) and func.value.id in NOT_STREAMLIT:
            continue
        positional = [] if func.attr in ("Page", "page_link") else node.args[:1]  # their first argument is a path
        shown = list(positional) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        shown += [k.value for k in node.keywords if k.arg in ("column_config", "format_func")]
        for arg in shown:
            for literal in _literals(arg):
                if isinstance(literal, ast.Constant) and literal.value in SAME_IN_EVERY_LANGUAGE:
                    continue
                problems.append(f"{path}:{literal.lineno} st.{func.attr} shows a bare literal; wrap it in t()")
    return problems


# --- formatting ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, en, zh", [
    (9_999, "9,999", "9,999"),
    (12_345, "12.3k", "1.2万"),
    (999_960, "1M", "100万"),
    (3_400_000, "3.4M", "340万"),
    (340_000_000, "340M", "3.4亿"),
    (1_234_567_890, "1.2B", "12.3亿"),
    (-45_678, "-45.7k", "-4.6万"),
    (12.5, "12.5", "12.5"),
])
def test_short_numbers_use_k_m_b_in_english_and_wan_yi_in_chinese(value, en, zh):
    assert format_short(value, "en") == en
    assert format_short(value, "zh") == zh


def test_money_keeps_the_exports_currency_and_two_decimals():
    assert format_money(1234.5, "£", "en") == "£1,234.50"
    assert format_money(-1234.5, "¥", "zh") == "-¥1,234.50"  # a symbol is kept (¥ may be yen or yuan)
    assert format_money(0.0, "", "en") == "0.00"
    assert format_money(1234.5, "GBP", "zh") == "£1,234.50"  # an ISO code: Babel's symbol for the language
    assert format_money(-1234.5, "EUR", "en") == "-€1,234.50"
    assert format_money(1234.5, "CNY", "zh") == "¥1,234.50"
    assert format_money(1234.5, "CNY", "en") == "CN¥1,234.50"  # English readers are told which ¥
    assert format_money(1234.5, "GBP", "en", decimals=0) == "£1,234"
    assert format_money_short(123_456.0, "en", "£") == "£123,456"
    assert format_money_short(123_456.0, "zh", "¥") == "¥12.3万"
    assert format_money_short(999.5, "zh") == "999.50"


def test_numbers_percent_and_dates():
    assert format_number(1234567, "zh") == "1,234,567"
    assert format_number(1234.567, "en", 1) == "1,234.6"
    assert format_percent(0.1234, "zh") == "12.3%"
    assert format_percent(0.5, "en", 0) == "50%"
    assert format_date(dt.date(2024, 1, 5), "zh") == "2024年1月5日"
    assert format_date(dt.date(2024, 1, 5), "en") == "2024-01-05"
    assert format_date(pd.Timestamp("2024-12-31 08:05"), "zh", with_time=True) == "2024年12月31日 08:05"
    assert format_date("2024-12-31 08:05", "xx", with_time=True) == "2024-12-31 08:05"


def test_translate_fills_placeholders_and_falls_back_to_english():
    assert translate("Overview", "zh") == _catalogue()["Overview"] != "Overview"
    assert translate("Overview", "en") == "Overview"
    assert translate("{n:,} of {total:,} products. Conversion = purchase events / view events.", "en",
                     n=1200, total=3400) == "1,200 of 3,400 products. Conversion = purchase events / view events."
    zh = translate("{n:,} of {total:,} products. Conversion = purchase events / view events.", "zh", n=1200,
                   total=3400)
    assert "1,200" in zh and "3,400" in zh and "products" not in zh
    assert translate("A sentence nobody translated", "zh") == "A sentence nobody translated"
    assert translate("Overview", "fr") == "Overview"  # unknown language: English, no error


# --- completeness -------------------------------------------------------------------------------

def test_the_ui_files_are_scanned():
    assert {"app.py", "pages/home.py", "pages/overview.py", "ecom_analytics/ui/widgets.py"} <= set(UI_FILES)
    assert not NOT_YET_CONVERTED & set(UI_FILES)


def test_every_string_shown_goes_through_t():
    problems = [p for path in UI_FILES for p in scan(path)]
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_bare_label(tmp_path):
    page = tmp_path / "pages" / "bad.py"
    page.parent.mkdir()
    page.write_text('import streamlit as st\nst.title(t("Overview"))\nc1.metric("Orders", 3)\n'
                    'st.caption(f"{n:,} rows")\nst.markdown("---")\nlog.error("%s failed", x)\n'
                    'st.caption(tn(f"{n} row", "{n} rows", n))\n', encoding="utf-8")
    problems = scan("pages/bad.py", tmp_path)
    assert [p.split(" ")[0] for p in problems] == ["pages/bad.py:3", "pages/bad.py:4", "pages/bad.py:7"]


def test_vocabulary_shown_through_variables_is_translated():
    """Names the pages pass to t() as variables: kinds, tasks, models, segments, audiences, features,
    cleaning rules, column descriptions."""
    from ecom_analytics.predict.audiences import AUDIENCE_NAMES
    from ecom_analytics.ingest.cleaning import EVENT_RULES, ORDER_RULES
    from ecom_analytics.ingest.schema import DESCRIPTIONS
    from ecom_analytics.insights.features import FEATURES, TASKS, feature_catalogue
    from ecom_analytics.insights.segments import SEGMENT_ADVICE, SEGMENTS
    from ecom_analytics.predict.training import MODEL_LABELS
    from ecom_analytics.ui.state import KINDS

    words = [*KINDS, *(k.capitalize() for k in KINDS), *TASKS, *MODEL_LABELS.values(), *SEGMENTS,
             *SEGMENT_ADVICE.values(), *AUDIENCE_NAMES.values(),
             *(description for _, description in ORDER_RULES + EVENT_RULES),
             *(text for kind in ("orders", "events", "sales") for text in DESCRIPTIONS[kind].values()),
             *(f.description for f in FEATURES.values()), *(f.unit for f in FEATURES.values()),
             *feature_catalogue(["attr_age", "attr_signup_days"])[["description", "unit"]].to_numpy().ravel(),
             *(w.capitalize() for w in ("day", "week", "month", "revenue", "orders", "customers", "units", "views",
                                       "carts", "purchases", "conversion", "view", "cart", "purchase")),
             "view", "cart", "purchase", "remove_from_cart", "wishlist", "other",
             "tab", "comma", "semicolon", "pipe", "amount (or quantity and unit_price)"]
    zh = _catalogue()
    assert [w for w in words if not zh.get(w, "").strip()] == []


def test_forecast_recommendation_and_campaign_vocabulary_is_translated():
    """Labels the Forecast, Recommendations and Campaigns pages pass to t() as variables, and the
    reasons of recommendations in Chinese (hand-written expected text)."""
    from ecom_analytics.campaign import MODEL_LABELS as CAMPAIGN_MODELS
    from ecom_analytics.charts.campaign import AUDIENCE_LABELS
    from ecom_analytics.charts.recommend import REASON_KINDS
    from ecom_analytics.forecasting import FREQ_LABELS, MODEL_LABELS as FORECAST_MODELS
    from ecom_analytics.forecasting.models import MODEL_SHORT
    from ecom_analytics.recommend import METRIC_LABELS, MODEL_LABELS as RECOMMEND_MODELS, POPULAR_REASON
    from ecom_analytics.recommend.models import reason_words

    words = [*FORECAST_MODELS.values(), *MODEL_SHORT.values(), *FREQ_LABELS.values(), "Total", "By product",
             "By category", "By country", *RECOMMEND_MODELS.values(), *METRIC_LABELS.values(),
             *CAMPAIGN_MODELS.values(), *REASON_KINDS.values(), *AUDIENCE_LABELS.values(), POPULAR_REASON,
             "popular this week", "(recognised)", "(none)"]
    zh = _catalogue()
    assert [w for w in words if not zh.get(w, "").strip()] == []
    codes = pd.Series(["often bought with {product}", "similar to {product}", "often bought after {product}",
                       "popular this month", "popular in the last {days} days", "often bought with {product}"])
    about = pd.Series(["Apple", "Bread", "Tea", "", "90", "Apple"])
    assert reason_words(codes, about, "zh").tolist() == ["常与 Apple 一起购买", "与 Bread 相似", "常在 Tea 之后购买",
                                                         "本月热门", "近 90 天热门", "常与 Apple 一起购买"]
    assert reason_words(codes, about, "en").tolist() == ["often bought with Apple", "similar to Bread",
                                                         "often bought after Tea", "popular this month",
                                                         "popular in the last 90 days", "often bought with Apple"]
    # a product whose name holds braces or the words of another reason is named as it is, never parsed
    odd = reason_words(pd.Series(["similar to {product}"]), pd.Series(["Mug {large} similar to Bowl"]), "zh")
    assert odd.tolist() == ["与 Mug {large} similar to Bowl 相似"]


def test_coded_notes_are_translated_by_their_code_with_formatted_numbers():
    """A runs.Note's code is the English template and the msgid: translate(code, lang, **params) words
    it, formatting a number as the template says ({n:,})."""
    from ecom_analytics.forecasting import notes

    code = notes.FILLED_MANY
    assert translate(code, "en", n=1234, units="weeks", count=2) == \
        "1,234 missing weeks were filled with zero (in 2 series)"
    assert translate(code, "zh", n=1234, units="周", count=2) == "1,234 个缺失的周已用零填充（涉及 2 个序列）"
    assert translate("No pre-campaign attributes: uplift models were not trained.", "zh") == "没有活动前属性：未训练增益模型。"
    assert translate("a note nobody wrote a translation for", "zh") == "a note nobody wrote a translation for"


def test_catalogue_has_no_stale_entries_with_bad_placeholders():
    for key, value in _catalogue().items():
        assert value.strip(), key
        assert _fields(value) == _fields(key), key


def test_signed_deltas_keep_their_sign_first():
    """st.metric colours a delta by its first character: a translation of "{x:+...} ..." must start
    with the signed number too, or a fall shows as a green rise."""
    signed = {k: v for k, v in _catalogue().items() if re.match(r"\{\w+:\+", k)}
    assert signed, "no signed-delta strings found"
    assert [k for k, v in signed.items() if not re.match(r"\{\w+:\+", v)] == []
