"""Messages the library makes for the analyst (errors, reading notes, progress steps) have Chinese.

The library writes its messages in English (it has no session language); the UI shows them
through :func:`ecom_analytics.i18n.translate_message`, which finds each one in the catalogue
(``locales/zh/LC_MESSAGES/notes.po``: plain sentences and templates with ``{fields}``). This test
collects every message from the library's source (the argument of ``raise InputError(...)``,
``ValueError``, ``NotFoundError``; what ``notes``/``warnings`` lists are given; what progress
callbacks say) and fails when a sentence of one has no translation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ecom_analytics.i18n import translate_message, untranslated_parts

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "ecom_analytics"
ERRORS = {"InputError", "ValueError", "NotFoundError"}
PROGRESS = {"say", "on_stage", "on_progress", "progress"}
LISTS = {"notes", "warnings", "flags"}
SLOT = "X7"  # what a {field} of an f-string becomes in the example message


def _example(node: ast.AST) -> str | None:
    """The message an expression builds, each formatted value replaced by SLOT; None when it is
    not built from string literals (a variable passed on, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else SLOT for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _example(node.left), _example(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else SLOT) + (right if right is not None else SLOT)
    if isinstance(node, ast.IfExp):
        return _example(node.body)
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def library_messages() -> dict[str, str]:
    """example message -> where it is made (file:line), for every message of the library."""
    found: dict[str, str] = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("ecom_analytics/ui/", "ecom_analytics/cli/")) or path.name == "__main__.py":
            continue  # the UI translates its own strings; the CLI speaks English
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            args: list[ast.AST] = []
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _name(node.exc.func) in ERRORS:
                args = node.exc.args[:1]
            elif isinstance(node, ast.Call) and _name(node.func) in PROGRESS and node.args:
                args = node.args[-1:]
            elif (isinstance(node, ast.Call) and _name(node.func) in ("append", "extend")
                  and _name(node.func.value) in LISTS and node.args):
                value = node.args[0]
                args = list(value.elts) if isinstance(value, (ast.List, ast.Tuple)) else [value]
            for arg in args:
                text = _example(arg)
                if text and any(c.isalpha() for c in text.replace(SLOT, "")):  # not just "{arm}: {message}"
                    found.setdefault(text, f"{rel}:{node.lineno}")
    return found


def test_the_collector_finds_the_messages_of_each_area():
    where = {w.split(":")[0] for w in library_messages().values()}
    for module in ("readers.py", "mapping.py", "training.py", "forecasting/series.py", "recommend/evaluation.py",
                   "campaign/effects.py"):
        assert any(w.endswith(module) for w in where), module


def test_every_library_message_has_a_chinese_translation():
    missing = []
    for text, where in library_messages().items():
        parts = untranslated_parts(text, "zh")
        if parts:
            missing.append(f"{where}: {' | '.join(parts)!r}")
    assert not missing, f"{len(missing)} library messages lack Chinese (add them to locales/zh/LC_MESSAGES/notes.po):\n" + \
        "\n".join(missing)


@pytest.mark.parametrize("english, chinese", [
    ("'orders.zip' looks like a .zip file but is damaged (File is not a zip file). Upload it again.",
     "“orders.zip”看起来是 .zip 文件，但已损坏（File is not a zip file）。请重新上传。"),
    ("'report.pdf' is a PDF document, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet export.",
     "“report.pdf”是一份 PDF 文档，不是数据表。请上传 CSV、TSV、文本、Excel（.xlsx）或 Parquet 格式的导出文件。"),
    ("'total', Seasonal naive (same period last season): left out where the history is too short "
     "(Seasonal naive needs at least one season (52 periods); the history has 30.)",
     "“总计”，季节性朴素预测（上一季同期）：历史数据过短的窗口中未使用（季节性朴素预测至少需要一个季节周期（52 期）；历史数据只有 30 期。）"),
    ("The arm 'sms' has only 12 customers; a test needs at least 20 per arm. Merge it with another arm or leave it out.",
     "分组“sms”只有 12 位客户；检验要求每组至少 20 位。请将其与其他分组合并，或将其排除。"),
    ("The data covers 40 days; a 90-day horizon needs at least 210 (history, a training window and a test window). "
     "Choose a shorter horizon.",
     "数据只覆盖 40 天；90 天的预测期至少需要 210 天（历史、训练窗口和测试窗口）。请选择更短的预测期。"),
])
def test_messages_translate_with_their_values(english, chinese):
    assert translate_message(english, "zh") == chinese
    assert translate_message(english, "en") == english


def test_an_unknown_sentence_stays_english_and_nothing_is_dropped():
    text = "Nobody wrote this. Choose a shorter horizon."
    out = translate_message(text, "zh")
    assert out.startswith("Nobody wrote this.")
    assert untranslated_parts(text, "zh") == ["Nobody wrote this."]
    assert translate_message("", "zh") == ""
