"""The catalogues are complete: Babel's extraction (``babel.cfg``, the keywords the docstring of
``ecom_analytics.i18n`` gives to ``pybabel extract``) run over ``app.py``, ``pages/`` and
``ecom_analytics/`` finds every msgid, and each must have a Chinese translation with the same
``{placeholders}``. The library's prose messages (``raise InputError(f"...")``), which extraction
cannot see, are checked by ``test_i18n_messages.py``; bare English given to Streamlit by ``test_i18n.py``.
"""

from __future__ import annotations

import string
from io import BytesIO
from pathlib import Path

import shutil

from babel.messages.extract import extract
from babel.messages.pofile import read_po

from ecom_analytics import i18n
from ecom_analytics.i18n import extract as i18n_extract
from ecom_analytics.i18n.extract import KEYWORDS
from ecom_analytics.i18n.extract import extract as ast_extract

ROOT = Path(__file__).resolve().parents[2]
def extracted(root: Path = ROOT) -> list[tuple[str, int, str | tuple[str, str], str | None]]:
    """(file, line, msgid, context) of every message Babel extracts with ``babel.cfg`` under ``root``."""
    if root != ROOT:
        shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    return i18n_extract.extracted(root)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def untranslated(messages, lang: str = "zh") -> list[str]:
    """Each extracted msgid the catalogue of ``lang`` does not translate, as "file:line: msgid"."""
    words = i18n.translations(lang)
    known = i18n.catalogue(lang)
    missing = []
    for path, line, msgid, context in messages:
        if not i18n_extract.wordy(msgid if isinstance(msgid, str) else msgid[0]):
            continue  # a number format such as "{value:,.2f}": nothing to translate
        if isinstance(msgid, tuple):
            found = words.ngettext(msgid[0], msgid[1], 1) != msgid[0] or msgid[0] in known
        elif context:
            found = words.pgettext(context, msgid) != msgid or msgid in known
        else:
            found = bool(known.get(msgid, "").strip())
        if not found:
            missing.append(f"{path}:{line}: {msgid!r}" + (f" (context {context!r})" if context else ""))
    return missing


def test_extraction_reads_babel_cfg_and_finds_the_ui_the_charts_and_the_library():
    messages = extracted()
    files = {path for path, *_ in messages}
    assert {"app.py", "pages/overview.py", "ecom_analytics/ui/widgets.py", "ecom_analytics/report/html.py"} <= files
    assert any(f.startswith(("ecom_analytics/forecasting/", "ecom_analytics/campaign/")) for f in files)  # Note codes
    ids = {msgid for _, _, msgid, _ in messages}
    assert "Overview" in ids
    assert "Scores of a trained model" in ids  # a label of linked("pr_view", {...}): an option kept in the link
    assert "Gain, lift & calibration" in ids  # a tab of linked_tabs("ev_tab", tab_names)
    assert len(messages) > 1200


def test_every_extracted_string_has_a_chinese_translation():
    missing = untranslated(extracted())
    assert not missing, (f"{len(missing)} strings lack a Chinese translation (add them to "
                         "ecom_analytics/i18n/locales/zh/LC_MESSAGES/messages.po, or notes.po for a note's code):\n"
                         + "\n".join(missing))


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    wrong = [f"{path}:{line}: {msgid!r}" for path, line, msgid, context in extracted()
             if isinstance(msgid, str) and not context and msgid in i18n.catalogue("zh")
             and _fields(i18n.catalogue("zh")[msgid]) != _fields(msgid)]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)
    for path in sorted((i18n.LOCALES / "zh" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and message.string:
                    assert _fields(message.string) == _fields(message.id), (path.name, message.id)


def test_the_extraction_reads_branches_labels_plurals_contexts_and_note_codes(tmp_path):
    """What the extraction method finds in a page written for the test, and that the completeness
    check names the one string nobody translated."""
    page = (b'from ecom_analytics.ui.i18n import linked, t, tc, tn\n'
            b'st.title(t("Overview"))\n'
            b'st.caption(t("Retention %" if share else "Revenue"))\n'
            b'st.caption(t(row["label"]))\n'
            b'st.caption(tn("{n} week", "{n} weeks", n))\n'
            b'st.caption(tc("report heading", "Sales"))\n'
            b'st.radio(t("Period"), ["day"], **linked("ov_freq", {"day": "Day"}))\n'
            b'notes.append(Note("A brand new sentence nobody translated.", {}))\n'
            b'notes.append(Note("quantity_one", {}))\n')
    found = [(messages, context) for _, messages, _, context in
             extract(ast_extract, BytesIO(page), keywords=KEYWORDS)]
    assert [m for m, _ in found] == ["Day", "Overview", "Retention %", "Revenue", ("{n} week", "{n} weeks"), "Sales",
                                     "Period", "A brand new sentence nobody translated."] or \
        sorted(map(str, found)) == sorted(map(str, [("Day", None), ("Overview", None), ("Retention %", None),
                                                    ("Revenue", None), (("{n} week", "{n} weeks"), None),
                                                    ("Sales", "report heading"), ("Period", None),
                                                    ("A brand new sentence nobody translated.", None)]))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "new.py").write_bytes(page)
    assert untranslated(extracted(tmp_path)) == ["pages/new.py:8: 'A brand new sentence nobody translated.'"]


def test_the_catalogues_are_gettext_files_with_chinese_plural_forms():
    for domain in i18n.DOMAINS:
        with (i18n.LOCALES / "zh" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            catalog = read_po(handle)
        assert catalog.plural_forms == "nplurals=1; plural=(0);" or catalog.num_plurals == 1
        assert str(catalog.locale) == "zh_Hans_CN"
    assert not list(i18n.LOCALES.glob("*.json"))  # the JSON catalogues are gone


def test_add_missing_appends_the_new_strings_for_a_translator(tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    monkeypatch.setattr(i18n, "LOCALES", locales)
    i18n.reload()
    try:
        root = tmp_path / "app"
        (root / "pages").mkdir(parents=True)
        shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
        (root / "pages" / "new.py").write_text('st.title(t("Overview"))\nst.caption(t("Fresh words {n}", n=1))\n'
                                               'st.caption(tn("{n} crate", "{n} crates", n))\n', encoding="utf-8")
        added = i18n_extract.add_missing(root, "zh")
        assert added == ["pages/new.py:2: 'Fresh words {n}'", "pages/new.py:3: ('{n} crate', '{n} crates')"]
        text = (locales / "zh" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        assert text.endswith('#: pages/new.py:2\n#, python-brace-format\nmsgid "Fresh words {n}"\nmsgstr ""\n\n'
                             '#: pages/new.py:3\n#, python-brace-format\nmsgid "{n} crate"\n'
                             'msgid_plural "{n} crates"\nmsgstr[0] ""\n')
        assert i18n.translate("Overview", "zh") == "概览"  # the file still reads
        assert i18n_extract.add_missing(root, "zh") == ["pages/new.py:2: 'Fresh words {n}'",
                                                        "pages/new.py:3: ('{n} crate', '{n} crates')"]  # still empty
        assert (locales / "zh" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8") == text  # not twice
    finally:
        monkeypatch.undo()
        i18n.reload()
