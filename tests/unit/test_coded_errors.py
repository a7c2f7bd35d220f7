"""Input errors are coded messages (issue #18 item 3): ``InputError(template, **params)`` keeps a
``Note`` (code = the English template, a msgid of ``notes.po``), ``str(error)`` is the English the CLI
prints, and the UI words the note through the catalogue (``i18n.translate_error``), never by matching
the finished English against templates.

The AST check below fails when a raise in a converted package builds its sentence itself (an
f-string, ``.format(...)``, a ``+``), and when a template or a word passed as a ``Note`` has no
Chinese entry; the behaviour tests check a real error of each package in Chinese, sentence by sentence.
"""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pandas as pd
import pytest

from ecom_analytics import i18n
from ecom_analytics.errors import InputError, Note, NotFoundError
from ecom_analytics.i18n import FIELD, catalogue, translate_error
from tests.app.test_insight_pages import home, ids  # noqa: F401  (fixtures of the AppTest below)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ecom_analytics"
#: the packages and modules whose errors are coded (all of ingest now: parsing raises no InputError, stream's
#: NotStreamable carries a coded note of its own)
CONVERTED = ["cli", "store.py", "campaign", "predict", "forecasting", "recommend", "insights", "exports.py", "ingest"]
NOT_CONVERTED: set[str] = set()
ERRORS = {"InputError", "NotFoundError"}
#: (file, the call's source) of the raises allowed a first argument that is not a template literal
ALLOWED = {
    # a ValueError of the model code passed on as an InputError: its text is English prose, worded
    # by translate_message (translate_error falls back to it for a code the catalogue lacks)
    ("cli/segment.py", "InputError(str(exc))"),
    ("predict/run.py", "InputError(str(exc))"),
    # the type check's note, built with its template and params where the SQL check is made
    ("store.py", "InputError(sentence.code, **sentence.params, n=int(bad))"),
    # a module constant (a plain sentence, checked against the catalogue below)
    ("store.py", "NotFoundError(_GONE)"),
}


def _files() -> list[Path]:
    found = []
    for name in CONVERTED:
        path = PACKAGE / name
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [p for p in found if p.relative_to(PACKAGE).as_posix() not in NOT_CONVERTED]


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _calls(names: set[str]):
    """(file relative to the package, call node, source) of every call of ``names`` in the converted files."""
    for path in _files():
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and _name(node.func) in names:
                yield path.relative_to(PACKAGE).as_posix(), node, source


def _builds_prose(node: ast.AST) -> bool:
    """An expression that writes a sentence itself: an f-string with words, ``"...".format()``, a ``+`` of text."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and re.search(r"[A-Za-z]{2,}", v.value) for v in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return any(isinstance(side, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(side, "value", ""), str)
                   for side in (node.left, node.right)) or _builds_prose(node.left) or _builds_prose(node.right)
    return False


def _module_constants(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    return {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for t in node.targets if isinstance(t, ast.Name)}


def coded_errors() -> list[tuple[str, str, set[str] | None]]:
    """(where, template, names of the params given, None when ``**`` passes some) of every error raised
    in the converted packages; the problems (prose built in the raise) as a second list."""
    templates, problems = [], []
    for rel, node, source in _calls(ERRORS):
        where = f"{rel}:{node.lineno}"
        text = ast.get_source_segment(source, node)
        if not node.args:
            continue
        first = node.args[0]
        given = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
        if (rel, text) in ALLOWED:
            if isinstance(first, ast.Name):
                templates.append((where, _module_constants(source)[first.id], given))
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            templates.append((where, first.value, given))
        elif isinstance(first, ast.Call) and _name(first.func) == "Note":
            problems += [] if isinstance(first.args[0], ast.Constant) else [f"{where}: a Note built from prose"]
        else:
            problems.append(f"{where}: {text[:100]}")
        problems += [f"{where}: the param {k.arg} builds a sentence" for k in node.keywords
                     if k.arg is not None and _builds_prose(k.value)]
    return templates, problems


def test_no_error_of_a_converted_package_builds_its_english_sentence():
    templates, problems = coded_errors()
    assert len(templates) > 150  # the collector sees the raises (about 200 in these packages)
    assert not problems, "raise InputError(template, **params), not a finished sentence:\n" + "\n".join(problems)


def test_every_error_template_has_chinese_with_the_same_fields():
    zh = catalogue("zh")
    missing, fields, unfilled = [], [], []
    for where, template, given in coded_errors()[0]:
        if template not in zh:
            missing.append(f"{where}: {template!r}")
            continue
        english = {m.group(1) for m in FIELD.finditer(template)}
        if english != {m.group(1) for m in FIELD.finditer(zh[template])}:
            fields.append(f"{where}: {template!r} -> {zh[template]!r}")
        if given is not None and english - given:
            unfilled.append(f"{where}: {sorted(english - given)} not given")
    assert not missing, f"{len(missing)} error templates lack a msgid in notes.po:\n" + "\n".join(missing)
    assert not fields, "the Chinese has other {fields} than the English:\n" + "\n".join(fields)
    assert not unfilled, "\n".join(unfilled)


def test_every_word_passed_as_a_note_has_chinese():
    """``kind=Note("orders")``: the words given to an error as notes are in the catalogue too."""
    zh = catalogue("zh")
    missing = []
    notes = [(rel, inner) for rel, error, _ in _calls(ERRORS) for keyword in error.keywords
             for inner in ast.walk(keyword.value) if isinstance(inner, ast.Call) and _name(inner.func) in ("Note", "Words")]
    assert len(notes) > 15
    for rel, node in notes:
        if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value not in zh:
            missing.append(f"{rel}:{node.lineno}: {node.args[0].value!r}")
        elif node.args and isinstance(node.args[0], ast.IfExp):
            for branch in (node.args[0].body, node.args[0].orelse):
                if isinstance(branch, ast.Constant) and branch.value not in zh:
                    missing.append(f"{rel}:{node.lineno}: {branch.value!r}")
    assert not missing, "\n".join(missing)


def test_the_check_catches_prose_in_a_raise():
    for bad in ('InputError(f"The horizon ({h} weeks) is too long.")', 'InputError("The {h}.".format(h=h))',
                'InputError("No arm among " + arms + ".")'):
        assert _builds_prose(ast.parse(bad, mode="eval").body.args[0]), bad
    assert not _builds_prose(ast.parse('InputError("The horizon ({h} weeks).", h=h)', mode="eval").body.args[0])
    assert _builds_prose(ast.parse('x(f"the folder {parent}")', mode="eval").body.args[0])


# --- the error itself ---------------------------------------------------------------------------

def test_an_input_error_keeps_its_note_and_says_the_english():
    error = InputError("The horizon ({h} weeks) is not shorter than the history ({n:,}).", h=8, n=6000)
    assert error.note == Note("The horizon ({h} weeks) is not shorter than the history ({n:,}).",
                              {"h": 8, "n": 6000}, "error")
    assert str(error) == "The horizon (8 weeks) is not shorter than the history (6,000)."
    assert isinstance(error, ValueError)
    plain = InputError("Give the segment a name before saving it.")
    assert str(plain) == "Give the segment a name before saving it." and plain.note.params == {}
    assert str(InputError("A {brace} kept as written")) == "A {brace} kept as written"  # no params: no format
    again = pickle.loads(pickle.dumps(error))  # a worker process or a cache keeps the note
    assert type(again) is InputError and again.note == error.note and str(again) == str(error)
    missing = NotFoundError("No dataset has that id. Open the Workspace page to choose one.")
    assert translate_error(missing, "zh") == catalogue("zh")[str(missing)]


def test_a_word_given_as_a_note_is_english_in_the_message_and_chinese_through_the_catalogue():
    error = InputError("Dataset {source} holds {kind}, not {role}.", source="abc", kind=Note("orders"),
                       role=Note("events"))
    assert str(error) == "Dataset abc holds orders, not events."
    assert translate_error(error, "zh") == "数据集 abc 存放的是订单，不是行为事件。"
    assert translate_error(error, "en") == str(error)


def test_prose_of_a_module_not_converted_yet_still_goes_through_the_templates():
    """An error raised as a finished sentence (as ingest/parsing.py and stream.py still do): its note's code
    is the sentence, which the catalogue lacks, so translate_error hands it to translate_message."""
    prose = InputError("'report.pdf' is a PDF document, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or "
                       "Parquet export.")
    assert translate_error(prose, "zh") == ("“report.pdf”是一份 PDF 文档，不是数据表。请上传 CSV、TSV、文本、Excel（.xlsx）或 "
                                            "Parquet 格式的导出文件。")
    assert translate_error("Nobody wrote this.", "zh") == "Nobody wrote this."


# --- real errors of each package, in Chinese through the coded path ------------------------------

def _raised(call, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return caught.value


def _coded(error: InputError, english: str, chinese: str) -> None:
    assert str(error) == english
    assert error.note.params or error.note.code in catalogue("zh")  # coded, not prose
    assert translate_error(error, "zh") == chinese
    assert translate_error(error.note, "zh") == chinese


def test_forecasting_a_sales_table_finer_than_it_is():
    from ecom_analytics.forecasting.series import sales_series

    weekly = pd.DataFrame({"timestamp": pd.date_range("2024-01-01", periods=12, freq="W-MON"),
                           "value": range(12), "series_id": "a"})
    error = _raised(sales_series, weekly, "D")
    _coded(error, "The sales table holds one value per week; it cannot be forecast per day. Choose week or coarser.",
           "销售表每周只有一个数值，无法按日预测。请选择周或更长的周期。")


def test_forecasting_with_no_model_chosen():
    from ecom_analytics.forecasting.backtest import run_forecast

    error = _raised(run_forecast, None, [], 4)
    assert str(error).startswith("Unknown model(s) (none chosen); choose from ")
    assert translate_error(error, "zh").startswith("未知模型：（未选择）")


def test_the_clis_read_inputs_names_a_dataset_of_the_wrong_kind(tmp_path):
    from ecom_analytics.ingest.inputs import read_inputs
    from ecom_analytics.ingest.pipeline import ingest
    from ecom_analytics.store import Workspace

    path = tmp_path / "orders.csv"
    path.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                    "1,A,2,2011-01-03 10:00,1.50,17850\n2,B,1,2011-01-05 11:00,2.00,13047\n")
    ws = Workspace(tmp_path / "ws")
    dataset_id = ingest(path.read_bytes(), "orders.csv", kind="orders", workspace=ws).dataset_id
    error = _raised(read_inputs, {"events": dataset_id}, workspace=ws)
    _coded(error, f"Dataset {dataset_id} holds orders, not events.", f"数据集 {dataset_id} 存放的是订单，不是行为事件。")


def test_a_campaign_without_an_arm_column():
    from ecom_analytics.campaign.data import prepare_campaign

    error = _raised(prepare_campaign, pd.DataFrame({"customer_id": ["1", "2"], "revenue": [1.0, 2.0]}))
    _coded(error, "No arm column was found. The campaign table needs a column saying which group each customer was "
                  "in (e.g. 'arm' or 'group' with values such as 'control' and 'email').",
           catalogue("zh")[error.note.code])
    assert "分组" in translate_error(error, "zh")


def test_a_campaign_with_one_arm_only_and_no_control():
    from ecom_analytics.campaign.data import prepare_campaign

    one = pd.DataFrame({"customer_id": ["1", "2"], "arm": ["email", "email"]})
    error = _raised(prepare_campaign, one)
    assert str(error) == ("The campaign has one arm only (email). A comparison needs a control group and at least one "
                          "treated arm.")
    assert translate_error(error, "zh") == catalogue("zh")[error.note.code].format(arm="email")
    # without a control label the first arm in order is the reference (a note); a control that is no arm raises
    two = pd.DataFrame({"customer_id": ["1", "2"], "arm": ["email", "sms"]})
    error = _raised(prepare_campaign, two, control="push")
    assert error.note.params == {"control": "push", "arms": "email, sms"}
    assert "email, sms" in translate_error(error, "zh") and "push" in translate_error(error, "zh")


def test_a_lifetime_value_calibration_end_before_the_data():
    from ecom_analytics.predict.clv import run_clv

    orders = pd.DataFrame({"customer_id": ["1", "1", "2"], "timestamp": pd.to_datetime(["2024-02-01", "2024-03-01",
                                                                                         "2024-03-05"]),
                           "amount": [10.0, 20.0, 5.0]})
    error = _raised(run_clv, orders, calibration_end="2024-01-15")
    _coded(error, "The calibration end 2024-01-15 is before the first order (2024-02-01); choose a day within the data.",
           "校准期结束日 2024-01-15 早于第一笔订单（2024-02-01）；请选择数据范围内的日期。")


def test_recommendations_from_too_few_purchases():
    from ecom_analytics.recommend.interactions import check_enough

    few = pd.DataFrame({"customer_id": ["1", "2"], "product_id": ["a", "b"], "is_purchase": [True, True]})
    error = _raised(check_enough, few, "The data before the test cutoff")
    english = str(error)
    assert english.startswith("The data before the test cutoff has 2 purchases by 2 customers of 2 products;")
    assert translate_error(error, "zh").startswith("测试截止日之前的数据中只有 2 次购买，来自 2 位客户、涉及 2 个商品；")


def test_a_segment_rule_on_an_unknown_column_suggests_one_in_chinese():
    from ecom_analytics.insights.segment_builder import parse_rule

    error = _raised(parse_rule, "revenu >= 2", {"orders": "number", "revenue": "number", "total_revenue": "number"})
    assert str(error) == ("'revenu' is not a column of the customer table. Did you mean revenue, total_revenue? "
                          "The columns are listed under the rule.")
    assert translate_error(error, "zh") == "“revenu”不是客户表中的列。您是想输入 revenue, total_revenue 吗？可用的列列在规则下方。"


def test_a_store_error_with_a_word_of_the_library():
    from ecom_analytics.store import Workspace

    ws = Workspace.__new__(Workspace)
    error = _raised(Workspace.register_parquet, ws, "/nowhere", {}, kind="sales")
    _coded(error, "A registered table is orders or events, not 'sales'.", "登记的数据表只能是订单或事件，不能是 'sales'。")



def test_a_registered_parquet_column_of_text_that_is_not_numbers(tmp_path):
    """The type check's note is made before the SQL runs and filled with the count after: no .format on English."""
    from ecom_analytics.store import Workspace

    pd.DataFrame({"user": ["a", "b", "c"], "ts": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
                  "revenue": ["1.5", "abc", "x"]}).to_parquet(tmp_path / "o.parquet")
    error = _raised(Workspace(tmp_path / "ws").register_parquet, tmp_path / "o.parquet",
                    {"customer_id": "user", "timestamp": "ts", "amount": "revenue"})
    _coded(error, "The column 'revenue' (amount) is text with 2 values that are not numbers; map a column of numbers "
                  "to amount.", "列 'revenue'（amount）是文本，其中有 2 个值不是数值；请把一个存放数值的列映射到 amount。")
    assert error.note.params["n"] == 2 and error.note.params["what"] == Note("numbers")

def test_the_ui_helper_and_the_english_agree_for_every_language():
    error = InputError("The number of months must be at least 1 (got {n}).", n=0)
    assert translate_error(error, "en") == str(error) == "The number of months must be at least 1 (got 0)."
    assert translate_error(error, "xx") == str(error)  # an unknown language is English
    assert i18n.translate(error.note, "zh") == translate_error(error, "zh")


def test_the_page_shows_an_input_error_in_chinese_from_its_note(ids):  # noqa: F811
    """AppTest: the Segment builder's error for an unknown column, in Chinese, hint included."""
    from tests.app.test_insight_pages import open_page

    at = open_page("pages/segment_builder.py", {**ids, "lang": "zh"})
    at.text_input(key="sb_rule").set_value("order >= 2").run()
    shown = [e.value for e in at.error]
    assert len(shown) == 1, shown
    assert shown[0].startswith("“order”不是客户表中的列。您是想输入 orders") and shown[0].endswith("吗？可用的列列在规则下方。")
    assert "Did you mean" not in shown[0]


def test_a_file_reader_error_is_coded_and_worded_in_chinese():
    """ingest/readers.py raises coded errors too: a PDF named by its kind (a word of the catalogue) and an
    upload above the limit, with their Chinese from the catalogue and the English unchanged."""
    from ecom_analytics.ingest.readers import read_table

    pdf = _raised(read_table, b"%PDF-1.4\n%binary", "report.pdf")
    assert pdf.note.code == "'{name}' is {kind}, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet export."
    assert str(pdf) == "'report.pdf' is a PDF document, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet export."
    assert translate_error(pdf, "zh") == ("“report.pdf”是一份 PDF 文档，不是数据表。请上传 CSV、TSV、文本、Excel（.xlsx）或 "
                                          "Parquet 格式的导出文件。")
    big = _raised(read_table, b"a,b\n1,2\n" * 200, "big.csv", max_bytes=1000)
    assert str(big).startswith("'big.csv' is ") and "above the" in str(big)
    assert translate_error(big, "zh").startswith("“big.csv”大小为 ")
