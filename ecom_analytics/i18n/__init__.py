"""Interface languages: English (the source strings) and Simplified Chinese, and number/date formats.

The catalogue ``locales/zh.json`` maps each English source string to its Chinese text, so English
needs no catalogue and a string reads in the code as the analyst sees it in English. Placeholders
(``{n:,}``) are filled after the look-up with ``str.format``. No streamlit here: the UI side is
``ecom_analytics.ui.i18n``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).with_name("locales")


def normalise_language(lang: str | None) -> str:
    """``lang`` when it is a known language code, else English (an unknown code is never an error)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The translations of ``lang`` keyed by the English source string (empty for English):
    ``locales/<lang>.json`` merged with any ``locales/<lang>.<part>.json`` (one file per area of
    the app, so translators of different pages do not edit the same file)."""
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return {}
    merged: dict[str, str] = {}
    for path in [LOCALES / f"{lang}.json", *sorted(LOCALES.glob(f"{lang}.*.json"))]:
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def translate(text: str, lang: str = DEFAULT_LANGUAGE, **kwargs) -> str:
    """``text`` in ``lang`` with ``kwargs`` filled in; the English text when no translation exists.

    ``str.format`` runs only when keyword arguments are given, so a plain string may contain braces.
    """
    found = catalogue(normalise_language(lang)).get(text) or text
    return found.format(**kwargs) if kwargs else found


@lru_cache(maxsize=None)
def message_templates(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    """The message templates of ``lang`` (``locales/<lang>.messages*.json``) as (anchored regex,
    translation) pairs, the most specific (longest fixed text) first. A template's ``{field}``
    matches any text, which is carried into the translation as it is (or translated itself when
    the catalogue knows it: a unit, a model name)."""
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return ()
    merged: dict[str, str] = {}
    for path in sorted(LOCALES.glob(f"{lang}.messages*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    compiled = []
    for english, translated in merged.items():
        parts = re.split(r"\{(\w+)\}", english)
        if len(parts) == 1:
            continue  # a plain sentence: found by the exact look-up
        fixed = sum(len(p) for p in parts[::2])
        pattern = re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)),
                             re.DOTALL)
        compiled.append((fixed, pattern, translated))
    compiled.sort(key=lambda item: -item[0])
    return tuple((pattern, translated) for _, pattern, translated in compiled)


# a sentence ends at . ! ? followed by a space and a capital letter, a quote or a bracket
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(“])")


def _message_part(text: str, lang: str, depth: int) -> str | None:
    """``text`` translated whole (exact entry or template), or None."""
    exact = catalogue(lang).get(text)
    if exact:
        return exact
    for pattern, translated in message_templates(lang):
        found = pattern.fullmatch(text)
        if found:
            fields = {k: (_message_part(v, lang, depth + 1) or v) if depth < 2 else v
                      for k, v in found.groupdict().items()}
            return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), translated)
    return None


def translate_message(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A message made by the library (why a file cannot be read, a reading note, a progress step)
    in ``lang``: the whole message through the catalogue or a message template, else sentence by
    sentence; a sentence nobody translated stays in English (never dropped)."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE or not text:
        return text
    whole = _message_part(text, lang, 0)
    if whole is not None:
        return whole
    sentences = _SENTENCE_END.split(text)
    if len(sentences) == 1:
        return text
    joiner = "" if lang == "zh" else " "
    return joiner.join(_message_part(s, lang, 0) or s for s in sentences)


def untranslated_parts(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` that :func:`translate_message` leaves in English (for tests)."""
    lang = normalise_language(lang)
    if _message_part(text, lang, 0) is not None:
        return []
    return [s for s in _SENTENCE_END.split(text) if _message_part(s, lang, 0) is None]


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """``value`` with thousands separators (both languages group by three with commas: 1,234.5)."""
    return f"{value:,.{decimals}f}"


def format_money(value: float, lang: str = DEFAULT_LANGUAGE, currency: str = "", decimals: int = 2) -> str:
    """A money amount in the export's currency (symbol given, or none; never converted): -£1,234.50."""
    sign = "-" if value < 0 else ""
    return f"{sign}{currency}{abs(value):,.{decimals}f}"


def format_percent(share: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A share (0.123) as a percentage: 12.3%."""
    return f"{share:.{decimals}%}"


def format_date(value: dt.date | dt.datetime | pd.Timestamp | str, lang: str = DEFAULT_LANGUAGE,
                with_time: bool = False) -> str:
    """A date as the language writes it: en 2024-01-05, zh 2024年1月5日 (plus HH:MM with ``with_time``)."""
    ts = pd.Timestamp(value)
    if normalise_language(lang) == "zh":
        text = f"{ts.year}年{ts.month}月{ts.day}日"
        return f"{text} {ts:%H:%M}" if with_time else text
    return f"{ts:%Y-%m-%d %H:%M}" if with_time else f"{ts:%Y-%m-%d}"


def _trim(number: float) -> str:
    """One decimal, without a trailing .0 (12.0 -> 12, 12.34 -> 12.3)."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_short(value: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A big number in a few characters: en 12.3k, 3.4M, 1.2B; zh 1.2万, 3.4亿 (below 10,000 in full)."""
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if size < 1e4:
        return f"{sign}{size:,.0f}" if size == int(size) else f"{sign}{size:,.1f}"
    # (unit, suffix, how many of it make the next unit), smallest first
    units = [(1e4, "万", 1e4), (1e8, "亿", None)] if normalise_language(lang) == "zh" else \
        [(1e3, "k", 1e3), (1e6, "M", 1e3), (1e9, "B", None)]
    for unit, suffix, next_at in units:
        scaled = round(size / unit, 1)
        if next_at is None or scaled < next_at:  # 999,960 is 1M, not 1000k
            return f"{sign}{_trim(scaled)}{suffix}"
    raise AssertionError("unreachable")


def format_money_short(value: float, lang: str = DEFAULT_LANGUAGE, currency: str = "") -> str:
    """A money amount for a metric tile: full with two decimals below 10,000; above, en without
    decimals (£12,345), zh in 万/亿 (£1.2万)."""
    if abs(value) < 10_000:
        return format_money(value, lang, currency)
    sign = "-" if value < 0 else ""
    if normalise_language(lang) == "zh":
        return f"{sign}{currency}{format_short(abs(value), lang)}"
    return format_money(value, lang, currency, decimals=0)
