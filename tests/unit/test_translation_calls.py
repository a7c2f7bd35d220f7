"""Translation calls whose template fields clash with the function's own parameters fail only when
the line runs (TypeError: t() got multiple values for argument 'text'), so they are found here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the named parameters of t(text, **fields), tm(message) and translate(text, lang, **fields)
RESERVED = {"t": {"text"}, "translate": {"text"}, "tm": {"message"}}


def test_no_translation_call_passes_a_field_named_like_its_own_parameter():
    clashes = []
    files = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"] + sorted((ROOT / "ecom_analytics").rglob("*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in RESERVED:
                bad = {k.arg for k in node.keywords} & RESERVED[node.func.id]
                if bad:
                    clashes.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}(..., {', '.join(bad)}=...)")
    assert not clashes, clashes
