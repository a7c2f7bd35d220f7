"""The interface language of this session: chosen in the sidebar, kept in the URL (``?lang=zh``).

Three entry points read the session's language and call :mod:`ecom_analytics.i18n`:

- :func:`t` ``("text", **params)``: a string in the current language (``gettext`` + ``str.format``);
  without parameters it also words a message the library still writes as English prose, through the
  templates of ``notes.po``. A ``runs.Note`` is shown with ``t(note.code, **note.params)``.
- :func:`te` ``(error)``: an ``InputError``/``NotFoundError`` in the current language, from its coded note.
- :func:`tn` ``("{n} week", "{n} weeks", n)``: the plural form of ``n`` in the current language.
- :func:`tc` ``("report heading", "Sales")``: a word with a context, where English uses one word for two things.

The formatting helpers (:func:`number`, :func:`money`, :func:`date` ...) use Babel's data for the
current language. The language box is kept in step with the URL query parameter ``lang`` (English,
the default, leaves no parameter), so a share link reopens the same language and an unknown ``lang``
value opens in English without an error; the languages offered are the catalogues present.

Choice widgets kept in the link take ``**linked(key, {option: English label})`` (tabs:
``st.tabs(**linked_tabs(key, ...))``) instead of ``bind="query-params"``: the URL holds the option's
*code* (``ov_freq=month``), the same in every language, and the label is only shown. (Streamlit 1.67
writes a bound widget's shown label to the URL, so a bound widget with translated labels made links
that differ by language.) A link from before, holding an English or Chinese label, still opens: the
label is mapped to its code once, when the URL is read.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ecom_analytics import i18n
from ecom_analytics.i18n import LANGUAGES

KEY = "lang"  # session-state key and URL query parameter
BOX = "lang_box"  # key of the sidebar selectbox


def current_language() -> str:
    """The code of the language this session shows ("en", "zh", or any language with a catalogue)."""
    value = st.session_state.get(KEY)
    if value is None:  # before the selector runs (e.g. the password form): read the URL
        value = st.query_params.get(KEY)
    return i18n.normalise_language(value)


def t(text: str, **params) -> str:
    """``text`` (an English source string, or a note's code) in the current language, ``params`` filled
    in. Without parameters, a message the library wrote as English prose is worded through the
    message templates (sentence by sentence; an untranslated sentence stays in English)."""
    lang = current_language()
    if params:
        return i18n.translate(text, lang, **params)
    return i18n.translate_message(text, lang)


def chart_text(defaults: dict[str, str]) -> dict[str, str]:
    """A chart module's words (its ``..._TEXT`` dict of English defaults) in the current language, to pass
    as a chart's ``text``: the charts never translate (``{fields}`` stay for the chart to fill)."""
    return {key: t(english) for key, english in defaults.items()}


def te(error) -> str:
    """An error the library raised (``InputError``, ``NotFoundError``), or its note, in the current
    language: its coded note worded through the catalogue (see :func:`ecom_analytics.i18n.translate_error`)."""
    return i18n.translate_error(error, current_language())


def tn(singular: str, plural: str, n: int, **params) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes in the current language, ``{n}`` and
    ``params`` filled in: ``tn("{n} week", "{n} weeks", 1)`` -> "1 week", in Chinese "1 周"."""
    return i18n.translate_plural(singular, plural, n, current_language(), **params)


def tc(context: str, text: str, **params) -> str:
    """``text`` in the sense ``context`` gives it (a msgctxt of the catalogue), else as :func:`t` words it."""
    return i18n.translate_in(context, text, current_language(), **params)


def _language_to_url() -> None:
    """After the analyst picks a language: put it in the URL (English, the default, leaves none),
    and have the browser redraw every widget whose options carry translated labels.

    The browser keeps a keyed selectbox's or radio's choice as the label it showed, so after a
    switch it held "购买 · H = 7 天" in an English page, or no choice at all. Writing each such
    widget's value back to its own key makes Streamlit send it again with the new labels."""
    chosen = i18n.normalise_language(st.session_state.get(BOX))
    st.session_state[KEY] = chosen
    for key in st.session_state.get(RELABELLED, ()):
        if key in st.session_state:
            try:
                st.session_state[key] = st.session_state[key]
            except StreamlitAPIException:  # a widget whose value cannot be set (none is registered)
                pass
    if chosen == i18n.DEFAULT_LANGUAGE:
        if KEY in st.query_params:
            del st.query_params[KEY]
    else:
        st.query_params[KEY] = chosen


def language_selector() -> str:
    """The sidebar's language box (call it first, so it sits at the top); returns the language code.

    Not a ``bind="query-params"`` widget: Streamlit writes a bound selectbox's *label* to the URL
    (``lang=简体中文``), and the link should say ``lang=zh``. A language in the URL that differs from
    the session's (a pasted link, a refresh) wins; an unknown one is dropped and English shown.
    """
    in_url = st.query_params.get(KEY)
    if in_url is not None and in_url != st.session_state.get(KEY):
        st.session_state[KEY] = i18n.normalise_language(in_url)
        if in_url not in LANGUAGES:
            del st.query_params[KEY]
    st.session_state.setdefault(KEY, i18n.DEFAULT_LANGUAGE)
    if in_url is None and st.session_state[KEY] != i18n.DEFAULT_LANGUAGE:  # a page switch dropped it
        st.query_params[KEY] = st.session_state[KEY]
    # The box shows the session's language through ``index`` (a value written to the box's own
    # session-state key before it is drawn came back from the browser as English on the next rerun).
    codes = list(LANGUAGES)
    st.sidebar.selectbox("Language / 语言", codes, index=codes.index(current_language()), format_func=LANGUAGES.get,
                         key=BOX, on_change=_language_to_url)
    return current_language()


RELABELLED = "_relabelled"  # session-state key: widget keys whose option labels are translated
SEEN = "_linked_seen"  # session-state key: linked key -> the URL values last read or written


def translated_options(key: str) -> str:
    """Register ``key`` as a widget whose option labels are translated (redrawn on a language switch;
    :func:`linked` registers its widgets itself)."""
    keys = st.session_state.setdefault(RELABELLED, [])
    if key not in keys:
        keys.append(key)
    return key


def _label_maps(labels: dict, raw: dict | None) -> tuple[dict, dict]:
    """(option -> label shown now, any URL value -> option). A URL value is the option's code; the
    English or translated label an older link carried (Streamlit wrote labels before) maps to its option."""
    lang = current_language()
    shown = {**(raw or {}), **{option: i18n.translate(english, lang) for option, english in labels.items()}}
    to_option: dict[str, object] = {}
    for option, english in labels.items():
        for other in LANGUAGES:
            to_option.setdefault(i18n.translate(english, other), option)
    for option, label in (raw or {}).items():
        to_option.setdefault(str(label), option)
    to_option.update({str(option): option for option in [*labels, *(raw or {})]})  # the code itself wins
    return shown, to_option


def _from_url(key: str, to_option: dict) -> list | None:
    """The options the URL's ``key`` holds when the link is new to this widget (a pasted link, the
    browser's back button), else None. Labels of an old link are rewritten into codes in the URL."""
    if key not in st.query_params:
        return None
    values = tuple(st.query_params.get_all(key))
    seen = st.session_state.setdefault(SEEN, {})
    if seen.get(key) == values and key in st.session_state:
        return None
    options = [to_option[v] for v in values if v in to_option]
    codes = tuple(str(o) for o in options)
    if codes != values:
        _write_url(key, list(codes))
    seen[key] = codes
    return options or None


def _write_url(key: str, codes: list[str]) -> None:
    try:
        if codes:
            st.query_params[key] = codes if len(codes) > 1 else codes[0]
        elif key in st.query_params:
            del st.query_params[key]
    except StreamlitAPIException:  # the key is bound by another widget
        return
    st.session_state.setdefault(SEEN, {})[key] = tuple(codes)


def _value_to_url(key: str, to_codes) -> None:
    """on_change of a linked widget: its choice, as option codes, into the URL."""
    _write_url(key, to_codes(st.session_state.get(key)))


def _codes(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def linked(key: str, labels: dict, raw: dict | None = None, *, multi: bool = False) -> dict:
    """Keyword arguments of a choice widget kept in the link by option *code*:
    ``st.selectbox(t("Period"), ["day", "week"], **linked("ov_freq", {"day": "Day", "week": "Week"}))``.

    ``labels`` maps each option to its English label (shown translated), ``raw`` to a label that is
    the same in every language (a product or column name); ``multi`` for a multiselect or
    multi-choice pills. The URL holds ``ov_freq=week`` whatever the language, so a link reopens the
    same view in any language; a link from before (``ov_freq=Month`` or ``ov_freq=月``) opens too and
    its label is rewritten into the code. Returns ``key``, ``format_func`` (a dict's look-up made now,
    never a call of ``t`` later: Streamlit may format outside the script run) and ``on_change``.
    """
    shown, to_option = _label_maps(labels, raw)
    wanted = _from_url(key, to_option)
    if wanted is not None:
        try:
            st.session_state[key] = wanted if multi else wanted[0]
        except StreamlitAPIException:
            pass  # already drawn in this run
    translated_options(key)
    return {"key": key, "format_func": lambda option, _shown=shown: _shown.get(option, str(option)),
            "on_change": _value_to_url, "args": (key, _codes)}


def linked_tabs(key: str, labels: dict) -> dict:
    """Keyword arguments of ``st.tabs`` whose open tab is kept in the link by its code:
    ``st.tabs(**linked_tabs("ft_tab", {"table": "Table", ...}))`` (``ft_tab=table`` in any language;
    an older link's label opens the same tab). Only the open tab's content runs (``.open``)."""
    shown, to_option = _label_maps(labels, None)
    wanted = _from_url(key, to_option)
    seen = st.session_state.get(SEEN, {}).get(key)
    code = wanted[0] if wanted else (to_option.get(seen[0]) if seen else None)
    to_code = {label: option for option, label in shown.items()}
    return {"tabs": [shown[option] for option in labels], "key": key,
            "default": shown.get(code, shown[next(iter(labels))]),
            "on_change": _value_to_url, "args": (key, lambda label: _codes(to_code.get(label)))}


def number(value: float, decimals: int = 0) -> str:
    """A number for the current language (1,234.5)."""
    return i18n.format_number(value, current_language(), decimals)


def money(value: float, currency: str = "") -> str:
    """A money amount with two decimals in the export's currency (no conversion)."""
    return i18n.format_money(value, currency, current_language())


def money_short(value: float, currency: str = "") -> str:
    """A money amount short enough for a metric tile (zh: 万/亿 from 10,000 up)."""
    return i18n.format_money_short(value, current_language(), currency)


def percent(share: float, decimals: int = 1) -> str:
    """A share as a percentage (0.123 -> 12.3%)."""
    return i18n.format_percent(share, current_language(), decimals)


def date(value, with_time: bool = False) -> str:
    """A date as the current language writes it (en 2024-01-05, zh 2024年1月5日)."""
    return i18n.format_day(value, current_language(), with_time)


def short(value: float) -> str:
    """A big number in a few characters (en 12.3k, zh 1.2万)."""
    return i18n.format_short(value, current_language())
