"""Links hold option labels in the language they were made in; the router relabels them."""

from __future__ import annotations

import ast
from pathlib import Path

from ecom_analytics.ui.i18n import TRANSLATED_PARAMS, label_in

ROOT = Path(__file__).resolve().parents[2]
#: bound widgets whose labels are data (product names), the same in every language
UNTRANSLATED = {"rec_product"}


def _bound_widgets_with_labels() -> dict[str, str]:
    """key -> file:line of every widget bound to the URL that formats its options."""
    found = {}
    for path in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                kw = {k.arg: k.value for k in node.keywords}
                if "bind" in kw and "format_func" in kw and isinstance(kw.get("key"), ast.Constant):
                    found[kw["key"].value] = f"{path.name}:{node.lineno}"
    return found


def test_every_bound_widget_with_labels_is_relabelled():
    bound = _bound_widgets_with_labels()
    assert set(bound) - UNTRANSLATED == set(TRANSLATED_PARAMS), (
        "TRANSLATED_PARAMS (ecom_analytics/ui/i18n.py) and the pages' bound widgets differ: "
        f"missing {sorted(set(bound) - UNTRANSLATED - TRANSLATED_PARAMS)}, "
        f"stale {sorted(set(TRANSLATED_PARAMS) - set(bound))}")


def test_labels_move_between_languages_and_other_values_stay():
    assert label_in("Orders", "zh") == "订单"
    assert label_in("订单", "en") == "Orders"
    assert label_in("订单", "zh") == "订单"
    assert label_in("Orders", "en") == "Orders"
    assert label_in("Theta", "zh") == "Theta"  # the same in both
    assert label_in("3b5882596061afc3", "zh") == "3b5882596061afc3"
