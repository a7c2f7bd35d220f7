"""The interface language of this session: chosen in the sidebar, kept in the URL (``?lang=zh``).

:func:`t` translates an English source string into the current language; the formatting helpers
format numbers, money and dates for it. The selector is kept in step with the URL query parameter
``lang`` (English, the default, leaves no parameter), so a share link reopens the same language
and an unknown ``lang`` value opens in English without an error.

Widgets bound to the URL with translated option labels take ``format_func=url_labels(key,
{option: English label})``. Streamlit 1.67 writes a bound widget's *formatted label* to the URL,
so a link holds labels in the language it was made in; :func:`url_labels` maps a label of that
widget from either language to the current one before the widget is drawn, so a link reopens the
same view whatever language it was made in. It returns a dict's ``.get`` of labels translated when
the widget is drawn, not a lambda calling ``t`` later: Streamlit may format a value outside the
script run, where the session's language is not known.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ecom_analytics import i18n
from ecom_analytics.i18n import LANGUAGES

KEY = "lang"  # session-state key and URL query parameter
BOX = "lang_box"  # key of the sidebar selectbox


def current_language() -> str:
    """The code of the language this session shows ("en" or "zh")."""
    value = st.session_state.get(KEY)
    if value is None:  # before the selector runs (e.g. the password form): read the URL
        value = st.query_params.get(KEY)
    return i18n.normalise_language(value)


def t(text: str, **kwargs) -> str:
    """``text`` (an English source string) in the current language, ``kwargs`` filled in."""
    return i18n.translate(text, current_language(), **kwargs)


def tm(message: str) -> str:
    """A message the library made (an error, a reading note, a progress step) in the current
    language, through the message catalogue; untranslated sentences stay in English."""
    return i18n.translate_message(message, current_language())


def _language_to_url() -> None:
    """After the analyst picks a language: put it in the URL (English, the default, leaves none),
    and have the browser redraw every widget whose options carry translated labels.

    The browser keeps a keyed selectbox's or radio's choice as the label it showed, so after a
    switch it held "购买 · H = 7 天" in an English page, or no choice at all. Writing each such
    widget's value back to its own key makes Streamlit send it again with the new labels."""
    chosen = i18n.normalise_language(st.session_state.get(BOX))
    st.session_state[KEY] = chosen
    for key in [*st.session_state.get(URL_LABELS, {}), *st.session_state.get(RELABELLED, ())]:
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


URL_LABELS = "_url_labels"  # session-state key: param -> {label in any language: label shown}
RELABELLED = "_relabelled"  # session-state key: other widget keys whose option labels are translated


def translated_options(key: str) -> str:
    """Register ``key`` as a widget whose option labels are translated (redrawn on a language switch)."""
    keys = st.session_state.setdefault(RELABELLED, [])
    if key not in keys:
        keys.append(key)
    return key


def url_labels(key: str, labels: dict, raw: dict | None = None):
    """``format_func`` of a widget bound to the URL (``key``) whose options have translated labels:
    ``labels`` maps each option to its English label (shown in the current language), ``raw`` to a
    label that is the same in every language (a column or product name).

    Streamlit writes the label shown into the URL, so a link holds labels in the language it was
    made in. Before the widget is drawn, a label of this widget from a link in either language is
    rewritten into the current language, so the link opens with the same choices (a link holding
    the option itself, such as ``pr_sort=units``, opens with it too); the share link
    uses the same map (see :func:`shown_label`). The widget takes its first value from the query
    string the session opened with, which Streamlit 1.67 keeps privately
    (``QueryParams._initial_query_params``); without it the link's labels are left as they are.
    """
    lang = current_language()
    shown = {option: i18n.translate(english, lang) for option, english in labels.items()}
    to_shown = {i18n.translate(english, other): shown[option]
                for option, english in labels.items() for other in LANGUAGES}
    # a link written by hand (or before the options had labels) may hold the option itself: pr_sort=units
    to_shown.update({str(option): label for option, label in shown.items() if str(option) not in to_shown})
    to_shown = {k: v for k, v in to_shown.items() if k != v}
    st.session_state.setdefault(URL_LABELS, {})[key] = to_shown
    if to_shown:
        _relabel(key, to_shown)
    return {**(raw or {}), **shown}.get


def _relabel(key: str, to_shown: dict[str, str]) -> None:
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        with get_session_state().query_params() as qp:
            initial = getattr(qp, "_initial_query_params", None)
            if isinstance(initial, dict) and key in initial:
                initial[key] = [to_shown.get(v, v) for v in initial[key]]
    except (ImportError, AttributeError, RuntimeError):
        pass
    if key in st.query_params:
        values = st.query_params.get_all(key)
        relabelled = [to_shown.get(v, v) for v in values]
        if relabelled != values:
            try:
                st.query_params[key] = relabelled if len(relabelled) > 1 else relabelled[0]
            except StreamlitAPIException:
                pass  # the widget is already drawn in this session: it keeps its own value


def shown_label(key: str, value: str) -> str:
    """A URL value of ``key`` as the current language labels it (after a language switch the URL
    may still hold the other language's label until the widget changes)."""
    return st.session_state.get(URL_LABELS, {}).get(key, {}).get(value, value)


def number(value: float, decimals: int = 0) -> str:
    """A number for the current language (1,234.5)."""
    return i18n.format_number(value, current_language(), decimals)


def money(value: float, currency: str = "") -> str:
    """A money amount with two decimals in the export's currency (no conversion)."""
    return i18n.format_money(value, current_language(), currency)


def money_short(value: float, currency: str = "") -> str:
    """A money amount short enough for a metric tile (zh: 万/亿 from 10,000 up)."""
    return i18n.format_money_short(value, current_language(), currency)


def percent(share: float, decimals: int = 1) -> str:
    """A share as a percentage (0.123 -> 12.3%)."""
    return i18n.format_percent(share, current_language(), decimals)


def date(value, with_time: bool = False) -> str:
    """A date as the current language writes it (en 2024-01-05, zh 2024年1月5日)."""
    return i18n.format_date(value, current_language(), with_time)


def short(value: float) -> str:
    """A big number in a few characters (en 12.3k, zh 1.2万)."""
    return i18n.format_short(value, current_language())
