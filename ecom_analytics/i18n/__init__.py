"""Interface languages: gettext catalogues read with Babel, and Babel's formats for numbers, money and dates.

English is the source language: a string reads in the code as the analyst sees it in English, and
English needs no catalogue. Every other language is a folder of gettext catalogues::

    ecom_analytics/i18n/locales/<lang>/LC_MESSAGES/messages.po   what the UI and the charts show
    ecom_analytics/i18n/locales/<lang>/LC_MESSAGES/notes.po      the library's messages (errors, notes,
                                                                 progress steps): a msgid is a note's
                                                                 code, the English template with {fields}

The ``.po`` files are read at run time (``babel.messages.pofile.read_po`` -> ``babel.support.Translations``,
cached per language), so ``pip install -r requirements.txt`` + ``streamlit run app.py`` needs no compile
step, and ``pip install .`` ships them (package data). The ``Language`` header of a catalogue names the
Babel locale whose numbers, money and dates the language uses (``zh`` -> ``zh_Hans_CN``), and its
``Plural-Forms`` header the plural rule (``nplurals=1; plural=0;`` for Chinese).

Entry points (no Streamlit here; the UI's ``t``/``tn``/``tc`` in ``ecom_analytics.ui.i18n`` read the
session's language and call these):

- :func:`translate` ``(text, lang, **params)``: the msgid's translation then ``str.format``; a ``runs.Note``
  is worded with ``translate(note, lang)`` (= ``translate(note.code, lang, **note.params)``, nested notes
  first; ``{n:,}`` in the template formats the number).
- :func:`translate_plural` ``(singular, plural, n, lang, **params)``: ``ngettext`` (``{n} week`` /
  ``{n} weeks`` -> zh ``{n} 周``).
- :func:`translate_in` ``(context, text, lang, **params)``: ``pgettext``, for one English word with two
  meanings (msgctxt ``"report heading"``, msgid ``"Sales"``).
- :func:`translate_error` ``(error, lang)``: an ``InputError``/``NotFoundError`` (or its ``note``) in ``lang``:
  the error carries a coded note (``errors.InputError("... {h} ...", h=8)``), worded by :func:`translate`.
- :func:`translate_message` ``(text, lang)``: a message the library still writes as English prose (not yet
  a coded note: the errors of ``ingest/readers.py``, ``ingest/parsing.py`` and ``ingest/stream.py``, a
  ``ValueError`` passed on), matched against the templates of ``notes.po`` and translated sentence by
  sentence (given a ``runs.Note``, it words it as :func:`translate` does).
- :func:`format_number`, :func:`format_money`, :func:`format_percent`, :func:`format_day`
  (:func:`format_date`), :func:`format_short`, :func:`format_money_short`: Babel's locale data.

How to add a string (the completeness test ``tests/unit/test_i18n_catalogue.py`` runs the same
extraction and names every msgid without a translation)::

    # 1. write it in English in the code: t("...") / tn("...", "...", n) / tc("ctx", "...") in the UI,
    #    translate("...", lang) in the library, runs.Note("... {n:,} ...", {"n": n}) for a note
    # 2. extract and add the new msgids, with an empty msgstr, to locales/<lang>/LC_MESSAGES/messages.po:
    python -m ecom_analytics.i18n.extract zh
    # 3. translate each new empty msgstr (a note's code may go to notes.po instead; keep its {fields})
    # The same extraction with Babel's command line, to look at the template:
    PYTHONPATH=. pybabel extract -F babel.cfg -k t -k tn:1,2 -k tc:1c,2 -k translate \\
        -k translate_plural:1,2 -k translate_in:1c,2 -o /tmp/messages.pot .
    # (not ``pybabel update``: it marks as obsolete the words shown through variables, which
    #  extraction cannot see, such as model and segment names)

How to add a language (no code change): create its catalogue from the template above,
``pybabel init -i /tmp/messages.pot -d ecom_analytics/i18n/locales -l fr`` (a Babel locale identifier
such as ``fr`` or ``pt_BR``; it writes the ``Language`` and ``Plural-Forms`` headers), translate its
msgstr entries (copy ``zh/LC_MESSAGES/notes.po`` for the library's messages, or leave them English),
and restart the app: the language is offered in the sidebar under its own name (Babel's
``Locale.display_name``), with Babel's numbers, money and dates for it. An entry left empty shows
the English text.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
import string
from functools import lru_cache
from pathlib import Path

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, parse_pattern
from babel.numbers import format_percent as _babel_percent
from babel.support import NullTranslations, Translations

DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).with_name("locales")
DOMAINS = ("messages", "notes")  # notes: the library's message templates (see translate_message)
#: a {field} of a template, with an optional format spec or conversion: {n}, {n:,}, {share:.1%}, {name!r}
FIELD = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")


def _catalogue_files(lang: str, domain: str) -> list[Path]:
    return [LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"]


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _discover() -> dict[str, str]:
    """English plus every language with a ``messages.po`` under :data:`LOCALES`, each under its own name."""
    found = {DEFAULT_LANGUAGE: "English"}
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        code = po.parent.parent.name
        found[code] = _display_name(code, _header_locale(po) or code)
    return found


def _header_locale(po: Path) -> str | None:
    """The ``Language`` header of a catalogue (read without parsing the whole file)."""
    with po.open(encoding="utf-8") as handle:
        for line in handle:
            found = re.match(r'"Language: *([\w@-]+)', line)
            if found:
                return found.group(1)
            if line.startswith("msgid") and not line.startswith('msgid ""'):
                return None
    return None


def _display_name(code: str, locale: str) -> str:
    """A language's name in that language, without its territory: zh_Hans_CN -> 中文 (简体), fr -> français."""
    try:
        parsed = Locale.parse(locale)
        return Locale(parsed.language, script=parsed.script).display_name or code
    except (ValueError, UnknownLocaleError):
        return code


#: language code -> its name in that language; English first. Filled from the catalogues present
#: (:func:`reload` refills it in place, so ``from ecom_analytics.i18n import LANGUAGES`` stays current).
LANGUAGES: dict[str, str] = _discover()


def reload() -> None:
    """Forget every cached catalogue and look for languages again (after a catalogue was added or edited)."""
    LANGUAGES.clear()
    LANGUAGES.update(_discover())
    for cached in (translations, catalogue, message_templates, babel_locale, _number_symbols):
        cached.cache_clear()


def normalise_language(lang: str | None) -> str:
    """``lang`` when it is a known language code, else English (an unknown code is never an error)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def babel_locale(lang: str) -> Locale:
    """The Babel locale of ``lang``, from its catalogue's ``Language`` header (zh -> zh_Hans_CN)."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return Locale.parse("en")
    header = _header_locale(_catalogue_files(lang, "messages")[0]) or lang
    try:
        return Locale.parse(header)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    """Every catalogue of ``lang`` as one ``babel.support.Translations`` (English: the null translation)."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    merged = None
    for domain in DOMAINS:
        for path in _catalogue_files(lang, domain):
            if not path.exists():
                continue
            found = _translations_of(path)
            if merged is None:
                merged = found
            else:
                merged.merge(found)
    return merged or NullTranslations()


def _translations_of(path: Path) -> Translations:
    """A ``.po`` file as ``Translations`` (compiled to ``.mo`` in memory; untranslated entries left out)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo

    buffer = BytesIO()
    write_mo(buffer, _read(path))
    buffer.seek(0)
    return Translations(buffer)


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The context-free translations of ``lang`` keyed by the English msgid (empty for English). A
    plural entry is found by either English form too (``{n} week`` -> the form for 1, ``{n} weeks``
    -> the form for 2), for code that picks the English form itself and looks it up as a plain string."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return {}
    merged: dict[str, str] = {}
    plural = translations(lang)
    for domain in DOMAINS:
        for path in _catalogue_files(lang, domain):
            if not path.exists():
                continue
            for m in _read(path):
                if not m.id or m.context or not m.string:
                    continue
                if isinstance(m.id, str):
                    merged[m.id] = m.string
                elif all(m.string):
                    merged.setdefault(m.id[0], plural.ngettext(m.id[0], m.id[1], 1))
                    merged.setdefault(m.id[1], plural.ngettext(m.id[0], m.id[1], 2))
    return merged


class _LocaleNumbers(string.Formatter):
    """``str.format`` whose formatted numbers ({n:,}, {x:,.2f}, {share:.1%}) take the language's decimal
    and grouping symbols: Python rounds and groups, the symbols are then swapped (de 1.234,50)."""

    def __init__(self, symbols: dict[int, str]):
        super().__init__()
        self.symbols = symbols

    def format_field(self, value, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if format_spec and isinstance(value, numbers.Number) and not isinstance(value, bool):
            return text.translate(self.symbols)
        return text


@lru_cache(maxsize=None)
def _number_symbols(lang: str) -> dict[int, str] | None:
    """``str.translate`` table from Python's number symbols (. and ,) to ``lang``'s; None when they are
    the same (English, Chinese)."""
    symbols = babel_locale(lang).number_symbols.get("latn", {})
    swap = {".": symbols.get("decimal", "."), ",": symbols.get("group", ",")}
    return None if swap == {".": ".", ",": ","} else str.maketrans(swap)


def _fill(text: str, params: dict, lang: str = DEFAULT_LANGUAGE) -> str:
    """``str.format`` only when there are parameters, so a plain string may contain braces; numbers
    formatted in the template ({n:,}) take ``lang``'s decimal and grouping symbols."""
    if not params:
        return text
    symbols = _number_symbols(normalise_language(lang))
    return text.format(**params) if symbols is None else _LocaleNumbers(symbols).format(text, **params)


def fill(text: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """``text``, words already in ``lang`` (a chart's text passed by the page), with ``params`` filled in
    as :func:`translate` fills them: only when there are parameters, numbers in ``lang``'s symbols."""
    return _fill(text, params, lang)


def translate(text, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """``text`` (an English msgid, or a note's code) in ``lang`` with ``params`` filled in; the English
    text when the catalogue has no translation. A ``runs.Note`` is worded by its code and params (a
    param that is a note itself worded first): ``translate(note, lang)``."""
    if _is_note(text):
        params = {k: translate(v, lang) if _is_note(v) else v for k, v in {**dict(text.params), **params}.items()}
        text = text.code
    return _fill(catalogue(normalise_language(lang)).get(text, text) if text else text, params, lang)


def translate_plural(singular: str, plural: str, n: int, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes in ``lang`` (its ``Plural-Forms`` rule), with
    ``n`` and ``params`` filled in: ``translate_plural("{n} week", "{n} weeks", 1)`` -> ``1 week``."""
    chosen = translations(normalise_language(lang)).ngettext(singular, plural, n)
    return _fill(chosen, {"n": n, **params}, lang)


def translate_in(context: str, text: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """``text`` where the same English word means something else elsewhere (msgctxt ``context``): the
    entry of that context when there is one, else ``text`` translated as usual."""
    found = translations(normalise_language(lang)).pgettext(context, text)
    return _fill(found if found != text else translate(text, lang), params, lang)


@lru_cache(maxsize=None)
def message_templates(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    """The templates of ``notes.po`` of ``lang`` as (anchored regex, translation) pairs, the most
    specific (longest fixed text) first. A template's ``{field}`` (with or without a format spec)
    matches any text, which is carried into the translation as it is (or translated itself when
    the catalogue knows it: a unit, a model name)."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return ()
    compiled = []
    for path in _catalogue_files(lang, "notes"):
        if not path.exists():
            continue
        for message in _read(path):
            english, translated = message.id, message.string
            if not english or not isinstance(english, str) or not translated or message.context:
                continue
            parts = FIELD.split(english)
            if len(parts) == 1:
                continue  # a plain sentence: found by the exact look-up
            if not re.search(r"[^\W\d_]{2,}", "".join(parts[::2])):
                continue  # a joiner such as "{first}; {rest}" would swallow any two sentences
            fixed = sum(len(p) for p in parts[::2])
            seen: set[str] = set()
            regex = []
            for i, part in enumerate(parts):
                if i % 2 == 0:
                    regex.append(re.escape(part))
                else:  # a field used twice matches the same text twice
                    regex.append(f"(?P={part})" if part in seen else f"(?P<{part}>.+?)")
                    seen.add(part)
            pattern = re.compile("".join(regex), re.DOTALL)
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
            return FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), translated)
    return None


def _is_note(item) -> bool:
    """A coded note (``runs.Note``: ``code`` and ``params``), told apart without importing runs."""
    return hasattr(item, "code") and hasattr(item, "params")


def translate_error(error, lang: str = DEFAULT_LANGUAGE) -> str:
    """The message of an error the library raised, in ``lang``. ``error`` is an ``InputError`` or
    ``NotFoundError`` (its ``note``: code = English template, params), a note, or a plain string.

    A coded note is worded by :func:`translate` (its code looked up, its params filled in, nested notes
    translated first): nothing English is parsed. Only a note without params whose code the catalogue
    lacks is English prose of a module not converted to coded errors yet (``ingest/readers.py``,
    ``ingest/parsing.py``, ``ingest/stream.py`` raise f-strings; a ``ValueError`` passed on as an
    ``InputError``): that text, and any other exception's, goes through :func:`translate_message`."""
    note = getattr(error, "note", error)
    if not _is_note(note):
        return translate_message(str(note), lang)
    lang = normalise_language(lang)
    if note.params or lang == DEFAULT_LANGUAGE or note.code in catalogue(lang):
        return translate(note, lang)
    return translate_message(note.code, lang)


def translate_message(text, lang: str = DEFAULT_LANGUAGE) -> str:
    """A message the library still writes as English prose (why a file cannot be read, a reading note,
    a progress step) in ``lang``: the whole message through the catalogue or a template of
    ``notes.po``, else sentence by sentence; a sentence nobody translated stays in English. A
    ``runs.Note`` given instead is worded by its code (see :func:`translate`).

    This is for the messages not coded yet: the errors raised as f-strings by ``ingest/readers.py``,
    ``ingest/parsing.py`` and ``ingest/stream.py``, and a ``ValueError`` passed on. Every other
    ``InputError`` carries a coded note: show it with :func:`translate_error`, never through here."""
    if _is_note(text):
        return translate(text, lang)
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE or not text:
        return text
    whole = _message_part(text, lang, 0)
    if whole is not None:
        return whole
    sentences = _SENTENCE_END.split(text)
    if len(sentences) == 1:
        return text
    joiner = "" if babel_locale(lang).language in ("zh", "ja") else " "
    return joiner.join(_message_part(s, lang, 0) or s for s in sentences)


def untranslated_parts(text, lang: str) -> list[str]:
    """The sentences of ``text`` that :func:`translate_message` leaves in English (for tests); for a
    ``runs.Note``, its code (and a nested note's) when the catalogue lacks it."""
    lang = normalise_language(lang)
    if _is_note(text):
        nested = [part for v in dict(text.params).values() if _is_note(v) for part in untranslated_parts(v, lang)]
        known = lang == DEFAULT_LANGUAGE or text.code in catalogue(lang)
        return ([] if known else [text.code]) + nested
    if _message_part(text, lang, 0) is not None:
        return []
    return [s for s in _SENTENCE_END.split(text) if _message_part(s, lang, 0) is None]


# --- numbers, money and dates (Babel's locale data) -----------------------------------------------

def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """``value`` with the language's grouping and exactly ``decimals`` decimals (en and zh: 1,234.5)."""
    return format_decimal(value, format=_pattern(decimals), locale=babel_locale(lang), decimal_quantization=True)


def format_money(value: float, currency: str = "", lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    """A money amount in the export's currency (never converted) with the language's grouping.

    ``currency`` is an ISO code (Babel writes the language's symbol: ``format_money(1234.5, "GBP", "zh")``
    -> ``£1,234.50``), the symbol the export used (kept as it is, before the number: ``-¥1,234.50``; a ¥
    may be yen or yuan, so a symbol is never turned into a code) or empty (the number alone)."""
    if re.fullmatch(r"[A-Z]{3}", currency or ""):
        locale = babel_locale(lang)
        pattern = parse_pattern(locale.currency_formats["standard"].pattern)  # the language's symbol place
        pattern.frac_prec = (decimals, decimals)
        return pattern.apply(value, locale, currency=currency, currency_digits=False)
    sign = "-" if value < 0 else ""
    return f"{sign}{currency}{format_number(abs(value), lang, decimals)}"


def format_percent(share: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A share (0.123) as a percentage: 12.3%."""
    return _babel_percent(share, format=_pattern(decimals).replace("#,##", "") + "%", locale=babel_locale(lang),
                          decimal_quantization=True)


def format_day(value: dt.date | dt.datetime | pd.Timestamp | str, lang: str = DEFAULT_LANGUAGE,
               with_time: bool = False) -> str:
    """A date as the language writes it: en 2024-01-05 (ISO, as the exports do), zh 2024年1月5日 (Babel's
    long date), with ``with_time`` followed by HH:MM."""
    ts = pd.Timestamp(value)
    locale = babel_locale(lang)
    day = ts.date()
    text = _babel_date(day, "yyyy-MM-dd" if locale.language == "en" else "long", locale=locale)
    return f"{text} {_babel_time(ts.time(), 'HH:mm', locale=locale)}" if with_time else text


format_date = format_day  # the name the pages and reports use


def _trim(number: float) -> str:
    """One decimal, without a trailing .0 (12.0 -> 12, 12.34 -> 12.3)."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_short(value: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A big number in a few characters: en 12.3k, 3.4M, 1.2B; zh 1.2万, 3.4亿 (below 10,000 in full)."""
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if size < 1e4:
        return sign + format_number(size, lang, 0 if size == int(size) else 1)
    # (unit, suffix, how many of it make the next unit), smallest first
    units = [(1e4, "万", 1e4), (1e8, "亿", None)] if babel_locale(lang).language == "zh" else \
        [(1e3, "k", 1e3), (1e6, "M", 1e3), (1e9, "B", None)]
    for unit, suffix, next_at in units:
        scaled = round(size / unit, 1)
        if next_at is None or scaled < next_at:  # 999,960 is 1M, not 1000k
            return f"{sign}{_trim(scaled)}{suffix}"
    raise AssertionError("unreachable")


def format_money_short(value: float, lang: str = DEFAULT_LANGUAGE, currency: str = "") -> str:
    """A money amount for a metric tile: full with two decimals below 10,000; above, en without
    decimals (£12,345), zh in 万/亿 (£1.2万). (Language before currency, as the tiles call it.)"""
    if abs(value) < 10_000:
        return format_money(value, currency, lang)
    if babel_locale(lang).language == "zh":
        sign = "-" if value < 0 else ""
        symbol = format_money(0, currency, lang, 0)[:-1]  # the currency as this language writes it
        return f"{sign}{symbol}{format_short(abs(value), lang)}"
    return format_money(value, currency, lang, decimals=0)
