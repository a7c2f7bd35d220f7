"""The interface language of this session: chosen in the sidebar, kept in the URL (``?lang=zh``).

:func:`t` translates an English source string into the current language; the formatting helpers
format numbers, money and dates for it. The selector is kept in step with the URL query parameter
``lang`` (English, the default, leaves no parameter), so a share link reopens the same language
and an unknown ``lang`` value opens in English without an error.

Widgets bound to the URL translate their option labels through ``format_func``. Streamlit 1.67
writes a bound selection widget's *formatted label* to the URL (its serde calls ``format_func``),
so such a view value in a link is in the link's language; the link carries ``lang``, so it
reopens the same view. English labels are the ones the URLs had before translation.
Give ``format_func`` a dict of labels translated when the widget is drawn
(``{m: t(MODEL_LABELS[m]) for m in models}.get``), not a lambda calling ``t`` later: Streamlit may
format a value outside the script run, where the session's language is not known.
"""

from __future__ import annotations

from functools import lru_cache

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
    """After the analyst picks a language: put it in the URL (English, the default, leaves none)."""
    chosen = i18n.normalise_language(st.session_state.get(BOX))
    st.session_state[KEY] = chosen
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


#: Query parameters of widgets bound to the URL whose option labels are translated (Streamlit
#: writes the label shown, so a link holds labels in the language it was made in); the test
#: ``test_url_labels`` keeps this list in step with the pages.
TRANSLATED_PARAMS = frozenset({
    "ov_freq", "ov_measure", "dq_kind", "ft_task", "seg_segment", "co_value", "ev_model", "ev_slice", "pr_model",
    "fc_data", "fc_measure", "fc_level", "fc_freq", "fc_models", "fc_model", "fc_series", "rec_models",
    "cp_source", "cp_customer_col", "cp_arm_col", "cp_control", "cp_method", "cp_segment", "cp_models",
    "cp_uplift_model",
})


def label_in(value: str, lang: str) -> str:
    """An option label from a link (English or Chinese) as ``lang`` shows it; other values as they are."""
    zh = i18n.catalogue("zh")
    if lang == "zh":
        return zh.get(value) or value
    return _english_of().get(value, value)


@lru_cache(maxsize=1)
def _english_of() -> dict[str, str]:
    """Chinese label -> its English source (the first when two sources share a translation)."""
    reverse: dict[str, str] = {}
    for english, chinese in i18n.catalogue("zh").items():
        reverse.setdefault(chinese, english)
    return reverse


def relabel_url() -> None:
    """Rewrite the option labels of translated URL-bound widgets into the session's language, before
    the page draws them, so a link made in the other language (or made after the analyst switched
    language) opens with the same options instead of dropping labels the widget does not know.

    A bound widget takes its first value from the query string the session opened with, which
    Streamlit keeps privately (``QueryParams._initial_query_params``, Streamlit 1.67); without it
    (another Streamlit version) the labels are left as they are. A widget already drawn in this
    session keeps its own value, and its parameter cannot be set then: left alone too.
    """
    lang = current_language()
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        with get_session_state().query_params() as qp:
            initial = getattr(qp, "_initial_query_params", None)
            if isinstance(initial, dict):
                for key in TRANSLATED_PARAMS & set(initial):
                    initial[key] = [label_in(v, lang) for v in initial[key]]
    except (ImportError, AttributeError, RuntimeError):
        pass
    for key in TRANSLATED_PARAMS & set(st.query_params.keys()):
        values = st.query_params.get_all(key)
        relabelled = [label_in(v, lang) for v in values]
        if relabelled != values:
            try:
                st.query_params[key] = relabelled if len(relabelled) > 1 else relabelled[0]
            except StreamlitAPIException:
                pass


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
