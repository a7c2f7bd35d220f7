"""Links carry option codes, not labels: ``ov_freq=month`` in every language.

Option widgets kept in the link use ``**linked(key, {code: English label})`` (tabs: ``linked_tabs``)
instead of ``bind="query-params"``, which would write the translated label to the URL. A link from
before, with an English or Chinese label, still opens the same choice; the URL is rewritten to the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
#: widgets bound to the URL whose labels are data (a product name), the same in every language
UNTRANSLATED = {"rec_product"}


def _calls():
    for path in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield path.relative_to(ROOT).as_posix(), node


def test_no_bound_widget_writes_a_translated_label_to_the_link():
    """bind="query-params" with a format_func would put the label shown into the URL."""
    wrong = []
    for path, node in _calls():
        kw = {k.arg: k.value for k in node.keywords}
        if "bind" in kw and "format_func" in kw:
            key = kw.get("key")
            if not (isinstance(key, ast.Constant) and key.value in UNTRANSLATED):
                wrong.append(f"{path}:{node.lineno}")
    assert not wrong, f"bound widgets with translated labels (use **linked(key, labels)): {wrong}"


def test_every_linked_widget_has_its_own_literal_key():
    """The key is the URL parameter: a literal, and no two pages share one."""
    pages_of: dict[str, set[str]] = {}
    for path, node in _calls():
        if isinstance(node.func, ast.Name) and node.func.id in ("linked", "linked_tabs"):
            assert isinstance(node.args[0], ast.Constant), f"{path}:{node.lineno}"
            pages_of.setdefault(node.args[0].value, set()).add(path)
    assert len(pages_of) >= 30
    assert {key: paths for key, paths in pages_of.items() if len(paths) > 1} == {}


def _widgets():
    def page():
        import streamlit as st

        from ecom_analytics.ui.i18n import language_selector, linked, linked_tabs

        language_selector()
        labels = {"day": "Day", "week": "Week", "month": "Month"}
        st.segmented_control("Period", ["day", "week", "month"], default="week", **linked("ov_freq", labels))
        st.multiselect("Models", ["naive", "theta", "ets"], default=["naive"],
                       **linked("fc_models", {"naive": "Naive", "theta": "Theta", "ets": "ETS"}, multi=True))
        tabs = st.tabs(**linked_tabs("ft_tab", {"table": "Table", "distributions": "Distributions"}))
        for tab, code in zip(tabs, ("table", "distributions")):
            if tab.open:
                st.caption(code)

    return page


def _open(params: dict) -> AppTest:
    at = AppTest.from_function(_widgets())
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _param(at: AppTest, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) and len(value) == 1 else value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_with_codes_opens_the_same_choices_in_either_language(lang):
    at = _open({"lang": lang, "ov_freq": "month", "fc_models": ["theta", "ets"], "ft_tab": "distributions"})
    assert at.segmented_control(key="ov_freq").value == "month"
    assert at.multiselect(key="fc_models").value == ["theta", "ets"]
    assert [c.value for c in at.caption] == ["distributions"]  # only the open tab ran
    assert _param(at, "ov_freq") == "month"
    shown = at.segmented_control(key="ov_freq").options
    assert shown == (["日", "周", "月"] if lang == "zh" else ["Day", "Week", "Month"])


@pytest.mark.parametrize("old", [{"ov_freq": "Month", "fc_models": ["Theta", "ETS"], "ft_tab": "Distributions"},
                                 {"ov_freq": "月", "fc_models": ["Theta", "ETS"], "ft_tab": "分布"}])
def test_an_old_link_with_labels_opens_and_its_labels_become_codes(old):
    at = _open(old)  # opened in English, whatever language the labels are in
    assert at.segmented_control(key="ov_freq").value == "month"
    assert at.multiselect(key="fc_models").value == ["theta", "ets"]
    assert [c.value for c in at.caption] == ["distributions"]
    assert _param(at, "ov_freq") == "month"
    assert at.query_params["fc_models"] == ["theta", "ets"]
    assert _param(at, "ft_tab") == "distributions"


def test_a_choice_writes_its_code_to_the_link_and_survives_a_language_switch():
    at = _open({"lang": "zh"})
    at.segmented_control(key="ov_freq").set_value("day").run()
    at.multiselect(key="fc_models").set_value(["ets"]).run()
    assert _param(at, "ov_freq") == "day"
    assert _param(at, "fc_models") == "ets"
    at.sidebar.selectbox(key="lang_box").set_value("en").run()
    assert not at.exception
    assert at.segmented_control(key="ov_freq").value == "day"
    assert at.multiselect(key="fc_models").value == ["ets"]
    assert _param(at, "ov_freq") == "day"  # the same link in English


def test_an_unknown_value_in_the_link_is_dropped_without_an_error():
    at = _open({"ov_freq": "fortnight"})
    assert at.segmented_control(key="ov_freq").value == "week"
    assert "ov_freq" not in at.query_params


@pytest.fixture()
def orders_id(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    orders = pd.DataFrame({"InvoiceNo": [1, 2, 3], "StockCode": ["A", "B", "A"], "Description": ["Apple", "Bread", "Apple"],
                           "Quantity": [2, 1, 1], "InvoiceDate": ["2024-01-05 10:00", "2024-01-20 11:00", "2024-02-10 09:00"],
                           "UnitPrice": [5.0, 3.0, 5.0], "CustomerID": [100, 200, 100],
                           "Country": ["United Kingdom", "France", "United Kingdom"]}).to_csv(index=False).encode()
    return pipeline.ingest(orders, "orders.csv", kind="orders", workspace=Workspace(tmp_path / "ws")).dataset_id


def test_the_overview_link_made_in_chinese_opens_in_english(orders_id):
    chinese = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"lang": "zh", "orders": orders_id}.items():
        chinese.query_params[key] = value
    chinese.run()
    chinese.switch_page("pages/overview.py").run()
    chinese.segmented_control(key="ov_measure").set_value("orders").run()
    assert chinese.title[0].value == "概览"
    link = {k: chinese.query_params[k] for k in chinese.query_params if k != "lang"}
    assert link["ov_measure"] in ("orders", ["orders"])
    english = AppTest.from_file(APP, default_timeout=60)
    for key, value in link.items():
        english.query_params[key] = value
    english.run()
    english.switch_page("pages/overview.py").run()
    assert not english.exception, [e.value for e in english.exception]
    assert english.title[0].value == "Overview"
    assert english.segmented_control(key="ov_measure").value == "orders"
