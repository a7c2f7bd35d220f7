"""Links hold option labels in the language they were made in; url_labels relabels them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: bound widgets whose labels are data (product names), the same in every language
UNTRANSLATED = {"rec_product"}


def _bound_widgets_with_labels() -> dict[str, ast.AST]:
    """key -> format_func expression of every widget bound to the URL that formats its options."""
    found = {}
    for path in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                kw = {k.arg: k.value for k in node.keywords}
                if "bind" in kw and "format_func" in kw and isinstance(kw.get("key"), ast.Constant):
                    found[kw["key"].value] = kw["format_func"]
    return found


def test_every_bound_widget_with_labels_relabels_links_under_its_own_key():
    """format_func=url_labels("<the widget's key>", ...) on every bound widget with option labels."""
    wrong = []
    bound = _bound_widgets_with_labels()
    assert len(bound) > 20
    for key, func in bound.items():
        if key in UNTRANSLATED:
            continue
        calls = [n for n in ast.walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                 and n.func.id == "url_labels"]
        if not calls or any(not (isinstance(c.args[0], ast.Constant) and c.args[0].value == key) for c in calls):
            wrong.append(key)
    assert not wrong, f"bound widgets without url_labels(<their key>, ...): {wrong}"
