"""AppTest: a complete export uploaded with the lookups of its ids on the Data page (the hand-written fixture of
tests/unit/test_tables_lookups.py): 6 lines read alone, every one kept, the catalogue's and sub-category table's
names and the customer table's country on the lines, the notes in words, Confirm stores the dataset and the Data
quality page opens it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.store import Workspace
from tests.unit.test_tables_lookups import export

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 90


def data_page_with(files, lang: str = "en") -> AppTest:
    """The Data page with ``files`` ((bytes, name) pairs) uploaded together, checked to draw without an exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([(name, data, "text/csv") for data, name in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_complete_export_with_its_lookups_is_read_alone_named_and_stored(empty_home):
    at = data_page_with(export())
    assert not at.error, [e.value for e in at.error]
    m = {x.label: x.value for x in at.metric}
    assert (m["Rows in"], m["Rows kept"], m["Rows set aside"]) == ("6", "6", "0")
    shown = " ".join(x.value for x in list(at.markdown) + list(at.info) + list(at.warning)).replace("\\", "")
    assert "'produits.csv' (a product catalogue) gives the lines of 'commandes.csv' their 'Nom_Produit'" in shown
    assert "The category 'ID_Sous_Categorie' of 'produits.csv' is an id" in shown
    assert "have a product id that is not in the product catalogue 'produits.csv'" in shown

    next(b for b in at.button if b.label == "Confirm and join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("6 rows in, 6 kept, 0 set aside" in s.value for s in at.success)
    kept = Workspace(empty_home).load_clean(at.session_state["orders_id"]).sort_values("source_line")
    assert kept["category"].fillna("-").tolist() == ["Bouteilles", "Textile", "Bouteilles", "Textile", "-", "Textile"]
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_lookup_notes_in_chinese(empty_home):
    at = data_page_with(export(), "zh")
    shown = " ".join(x.value for x in list(at.markdown) + list(at.info) + list(at.warning)).replace("\\", "")
    assert "为“commandes.csv”的各行补上" in shown and "其名称取自“sous_categories.csv”" in shown


def test_a_star_schema_dated_through_its_date_dimension_on_the_data_page(empty_home):
    from tests.unit.test_tables_lookups import FACTS, star

    at = data_page_with(star(hechoPedido__csv=FACTS.replace("\n103,", "\n102,")))  # every key dated
    assert not at.error, [e.value for e in at.error]
    m = {x.label: x.value for x in at.metric}
    assert (m["Rows in"], m["Rows kept"], m["Rows set aside"]) == ("5", "5", "0")
    shown = " ".join(x.value for x in list(at.caption) + list(at.markdown) + list(at.info)).replace("\\", "")
    assert "'tiempo.csv' is a date dimension: the lines of 'hechoPedido.csv' take their date 'Fecha'" in shown
    next(b for b in at.button if b.label == "Confirm and join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kept = Workspace(empty_home).load_clean(at.session_state["orders_id"])
    assert kept["amount"].sum() == 109.0 and kept["timestamp"].notna().all()
