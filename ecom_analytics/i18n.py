"""Interface languages: English (the source strings) and Simplified Chinese, and number/date formats.

The catalogue ``locales/zh.json`` maps each English source string to its Chinese text, so English
needs no catalogue and a string reads in the code as the analyst sees it in English. Placeholders
(``{n:,}``) are filled after the look-up with ``str.format``. No streamlit here: the UI side is
``ecom_analytics.ui.i18n``.
"""

from __future__ import annotations

import datetime as dt
import json
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
