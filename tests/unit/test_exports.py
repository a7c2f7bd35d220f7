"""The one export writer (ecom_analytics.exports): every CSV and Excel file the app or the CLI
hands out escapes cells that could start a spreadsheet formula (OWASP CSV injection), and
nothing writes a table any other way.

1. The rule, cell by cell, against hand-written expected strings (CSV text and Excel cells read
   back with openpyxl).
2. An AST check over app.py, pages/ and ecom_analytics/: no ``.to_csv(``, ``.to_excel(``,
   ``ExcelWriter`` or ``csv.writer`` outside exports.py, and every download button's data comes
   from an exports function (the report's HTML and PDF are allow-listed with a reason). The
   checker is run on bad snippets to show it can fail.
3. End to end: an orders file whose customer ids and product names are the four payloads of
   issue 14, through ``features --out``, ``segments --out``, ``recommend --out`` and
   ``predict --predictions``; every output read back with the csv module.
"""

from __future__ import annotations

import ast
import csv
import gzip
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.exports import csv_bytes, csv_text, escape_cell, excel_bytes, spreadsheet_safe, write_table
from tests.fixtures import online_retail_export as online_retail_csv, synthetic_orders

ROOT = Path(__file__).resolve().parents[2]

HYPERLINK = '=HYPERLINK("http://x.example","y")'
DDE = "=cmd|' /C calc'!A0"
PAYLOADS = ["=1+1", "@SUM(A1)", HYPERLINK, DDE]


# ------------------------------------------------------------------------------ 1. the rule

@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    (HYPERLINK, "'=HYPERLINK(\"http://x.example\",\"y\")"),
    (DDE, "'=cmd|' /C calc'!A0"),
    ("+1 gift", "'+1 gift"),
    ("-5 discount", "'-5 discount"),
    ("-1+1", "'-1+1"),  # arithmetic, not a number
    ("-", "'-"),
    ("\tTab", "'\tTab"),
    ("\rCR", "'\rCR"),
    ("\t5", "'\t5"),  # a tab start is escaped even before a number
    (" =1+1", "' =1+1"),  # white space first: some programs trim it on import
    ("\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"),  # no-break space
    ("\n=1+1", "'\n=1+1"),
    ("\u3000=1+1", "'\u3000=1+1"),  # ideographic space
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width ＝
    ("\uff0bA", "'\uff0bA"), ("\uff0dA", "'\uff0dA"), ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
    ("  -5", "'  -5"),  # a number only without white space around it
    ("-1,234.50", "'-1,234.50"),  # thousands separators: not a plain number
    ("-inf", "'-inf"),
    # left as they are: plain real numbers, text that cannot start a formula, already escaped
    ("-12.5", "-12.5"), ("+3", "+3"), ("1e5", "1e5"), ("-1e-3", "-1e-3"), ("-.5", "-.5"), ("+0", "+0"),
    ("12", "12"), ("Apple", "Apple"), ("a=b", "a=b"), ("x@y.example", "x@y.example"), ("'=1+1", "'=1+1"),
    ("Mug;=1+1", "Mug;=1+1"), ("", ""), ("C-100", "C-100"),
])
def test_escape_cell(cell, expected):
    assert escape_cell(cell) == expected


@pytest.mark.parametrize("value", [-12.5, 3, np.int64(-4), None, np.nan, pd.NA, pd.Timestamp("2024-01-01"), True])
def test_values_that_are_not_text_are_never_changed(value):
    assert escape_cell(value) is value


def risky_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "product": pd.array(["=1+1", "@SUM(A1)", HYPERLINK, DDE, "Mug;=1+1", None], dtype="string"),
        "note": pd.array(["-12.5", "+3", "1e5", "-5 off", 7, np.nan], dtype=object),
        "score": [-0.5, 1.25, np.nan, -3.0, 0.0, 2.0],
        "orders": [1, -2, 3, 4, 5, 6],
        "=total": [10.0, -1.5, 0.0, 2.0, 3.0, 4.0],
    }, index=pd.Index(["-c1", "c2", "+c3", "c4", " =c5", "c6"], name="@id"))


def test_csv_text_cell_by_cell():
    expected = (
        '"\'@id","product","note","score","orders","\'=total"\n'
        '"\'-c1","\'=1+1","-12.5",-0.5,1,10.0\n'
        '"c2","\'@SUM(A1)","+3",1.25,-2,-1.5\n'
        '"\'+c3","\'=HYPERLINK(""http://x.example"",""y"")","1e5","",3,0.0\n'
        '"c4","\'=cmd|\' /C calc\'!A0","\'-5 off",-3.0,4,2.0\n'
        '"\' =c5","Mug;=1+1",7,0.0,5,3.0\n'
        '"c6","","",2.0,6,4.0\n'
    )
    assert csv_text(risky_frame()) == expected
    assert csv_bytes(risky_frame()) == expected.encode("utf-8")
    # without the index, and quoting only where CSV needs it (the sample files)
    assert csv_text(risky_frame(), index=False, quote_text=False).splitlines()[:2] == [
        "product,note,score,orders,'=total", "'=1+1,-12.5,-0.5,1,10.0"]


def test_spreadsheet_safe_keeps_dtypes_and_missing_values():
    frame = risky_frame().assign(when=pd.to_datetime(["2024-01-0%d" % d for d in range(1, 7)]), flag=True,
                                 kind=pd.Categorical(["=a", "b", None, "b", "-1", "@c"]))
    safe = spreadsheet_safe(frame)
    assert [str(t) for t in safe.dtypes] == ["string", "object", "float64", "int64", "float64",
                                             str(frame["when"].dtype), "bool", "object"]
    assert str(safe["product"].dtype) == "string" and pd.isna(safe["product"].iloc[5])
    assert safe["note"].tolist()[:5] == ["-12.5", "+3", "1e5", "'-5 off", 7] and pd.isna(safe["note"].iloc[5])
    for col in ("score", "orders", "when", "flag"):
        pd.testing.assert_series_equal(safe[col], frame[col], check_index=False)  # numbers, dates, booleans untouched
    assert safe["kind"].tolist()[:2] == ["'=a", "b"] and pd.isna(safe["kind"].iloc[2])
    assert safe["kind"].tolist()[3:] == ["b", "-1", "'@c"]
    assert list(safe.columns)[4] == "'=total" and safe.index.name == "'@id"
    assert list(safe.index) == ["'-c1", "c2", "'+c3", "c4", "' =c5", "c6"]
    assert frame["product"].iloc[0] == "=1+1" and frame.index[0] == "-c1"  # the input is not changed


def test_multiindex_and_numeric_index():
    frame = pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("=a", 1), ("b", 2)], names=["-seg", "n"]))
    assert csv_text(frame) == '"\'-seg","n","v"\n"\'=a",1,1\n"b",2,2\n'
    numeric = pd.DataFrame({"=v": [1]}, index=pd.Index([-5], name="k"))
    assert csv_text(numeric) == '"k","\'=v"\n-5,1\n'


def test_excel_round_trip_reads_text_not_formulas():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(excel_bytes(risky_frame(), sheet="scores")))
    sheet = book.active
    assert sheet.title == "scores"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["'@id", "product", "note", "score", "orders", "'=total"]
    assert rows[1] == ["'-c1", "'=1+1", "-12.5", -0.5, 1, 10]
    assert rows[2] == ["c2", "'@SUM(A1)", "+3", 1.25, -2, -1.5]
    assert rows[3] == ["'+c3", "'=HYPERLINK(\"http://x.example\",\"y\")", "1e5", None, 3, 0]
    assert rows[4] == ["c4", "'=cmd|' /C calc'!A0", "'-5 off", -3, 4, 2]
    assert rows[5] == ["' =c5", "Mug;=1+1", 7, 0, 5, 3]
    assert rows[6] == ["c6", None, None, 2, 6, 4]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["D2"].data_type == "n" and sheet["B2"].data_type == "s"


def test_excel_drops_what_a_workbook_cannot_hold():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"name": ["bell\x07", "=x"], "at": pd.to_datetime(["2024-01-01 10:00"] * 2).tz_localize("UTC")})
    sheet = load_workbook(io.BytesIO(excel_bytes(frame, sheet="a/b:c[1]?*" + "x" * 40, index=False))).active
    assert [c.value for c in sheet["A"]] == ["name", "bell", "'=x"]
    assert sheet["B2"].value == pd.Timestamp("2024-01-01 10:00").to_pydatetime()
    assert sheet.title == "a b c 1   " + "x" * 21  # Excel's 31 characters, none of []:*?/\\


def test_write_table_by_extension(tmp_path):
    frame = risky_frame()
    assert write_table(frame, tmp_path / "t.csv").read_text(encoding="utf-8") == csv_text(frame)
    assert gzip.decompress((write_table(frame, tmp_path / "t.csv.gz", index=False)).read_bytes()) == \
        csv_bytes(frame, index=False)
    assert (tmp_path / "t.csv.gz").read_bytes() == write_table(frame, tmp_path / "u.csv.gz", index=False).read_bytes()
    from openpyxl import load_workbook

    assert load_workbook(write_table(frame, tmp_path / "t.xlsx")).active["B2"].value == "'=1+1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.csv.gz", "t.xlsx", "u.csv.gz"]  # no leftovers


def test_write_table_failure_is_a_sentence_and_leaves_nothing(tmp_path):
    with pytest.raises(InputError, match=r"^Cannot write .*missing.*out\.csv \(No such file or directory\)\. "
                                         r"Check that its folder exists and is writable\.$"):
        write_table(risky_frame(), tmp_path / "missing" / "out.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(InputError, match="Cannot write"):
        write_table(risky_frame(), tmp_path / "folder.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["folder.csv"] and not any((tmp_path / "folder.csv").iterdir())


def test_the_write_sentence_has_chinese():
    from ecom_analytics.i18n import translate_message

    zh = translate_message("Cannot write /tmp/x/out.csv (No such file or directory). Check that its folder exists "
                           "and is writable.", "zh")
    assert zh.startswith("无法写入 /tmp/x/out.csv") and "Check" not in zh


# ------------------------------------------------------------------------------ 2. nothing bypasses it

WRITER = "ecom_analytics/exports.py"
EXPORT_FUNCTIONS = {"csv_bytes", "excel_bytes"}  # what a download's data must come from
# (file, data expression or the body of a lambda giving it) -> why it need not be a spreadsheet-safe table
ALLOWED_DOWNLOADS = {
    ("pages/report.py", "html_text.encode('utf-8')"):
        "the HTML report is a web page, not a spreadsheet; report.py HTML-escapes every value it shows",
    ("pages/report.py", "pdf_bytes"): "the PDF report is a fixed document that no spreadsheet opens",
    ("ecom_analytics/ui/downloads.py", "make"):
        "the deferred-download helper hands on the function its callers give; each caller of "
        "downloads.download(label, make, ...) is checked here as a download of its own",
}


def _scanned_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ecom_analytics").rglob("*.py"))]


def _call_name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _imported(tree: ast.AST, module: str, names: set[str]) -> tuple[set[str], set[str]]:
    """(local names of ``names`` imported from ``module``, local names of ``module`` itself)."""
    package, _, leaf = module.rpartition(".")
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == module:
            functions |= {a.asname or a.name for a in node.names if a.name in names}
        elif isinstance(node, ast.ImportFrom) and node.module == package:
            modules |= {a.asname or a.name for a in node.names if a.name == leaf}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == module}
    return functions, modules


def check_exports(source: str, rel: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(problems as 'file:line: what', downloads found as (file:line, data expression)) of one
    source file: a table written outside exports.py, or a download (``*.download_button(label,
    data)`` or the deferred ``downloads.download(label, make)``) whose data is not made by an
    exports function (directly, in a lambda or a functools.partial) and is not allow-listed."""
    tree = ast.parse(source)
    functions, modules = _imported(tree, "ecom_analytics.exports", EXPORT_FUNCTIONS)
    helpers, helper_modules = _imported(tree, "ecom_analytics.ui.downloads", {"download"})

    def is_export_function(expr: ast.AST) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id in functions
        return (isinstance(expr, ast.Attribute) and expr.attr in EXPORT_FUNCTIONS
                and ast.unparse(expr.value) in modules)

    def made_by_exports(expr: ast.AST) -> bool:
        if isinstance(expr, ast.Lambda):
            return made_by_exports(expr.body)
        if not isinstance(expr, ast.Call):
            return False
        if _call_name(expr.func) == "partial" and expr.args:
            return is_export_function(expr.args[0])
        return is_export_function(expr.func)

    def is_download(call: ast.Call) -> bool:
        if _call_name(call.func) == "download_button":
            return True
        if isinstance(call.func, ast.Name):
            return call.func.id in helpers
        return (isinstance(call.func, ast.Attribute) and call.func.attr == "download"
                and ast.unparse(call.func.value) in helper_modules)

    problems, downloads = [], []
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', 0)}"
        if rel != WRITER:
            if isinstance(node, ast.Attribute) and node.attr in ("to_csv", "to_excel"):
                problems.append(f"{where}: .{node.attr}( writes a table without ecom_analytics.exports")
            elif isinstance(node, (ast.Name, ast.Attribute)) and _call_name(node) == "ExcelWriter":
                problems.append(f"{where}: ExcelWriter writes a workbook without ecom_analytics.exports")
            elif (isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter")
                  and isinstance(node.value, ast.Name) and node.value.id == "csv"):
                problems.append(f"{where}: csv.{node.attr} writes a table without ecom_analytics.exports")
        if isinstance(node, ast.Call) and is_download(node):
            data = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg in ("data", "make")), None)
            text = ast.unparse(data) if data is not None else "(no data)"
            body = ast.unparse(data.body) if isinstance(data, ast.Lambda) else text
            downloads.append((where, body))
            if data is None or not (made_by_exports(data) or (rel, body) in ALLOWED_DOWNLOADS):
                problems.append(f"{where}: download data {text!r} is not made by "
                                f"ecom_analytics.exports ({', '.join(sorted(EXPORT_FUNCTIONS))})")
    return problems, downloads


def test_every_table_goes_through_the_export_writer():
    problems, downloads, allowed_seen = [], [], set()
    for path in _scanned_files():
        rel = path.relative_to(ROOT).as_posix()
        found, buttons = check_exports(path.read_text(encoding="utf-8"), rel)
        problems += found
        downloads += buttons
        allowed_seen |= {(rel, text) for where, text in buttons if (rel, text) in ALLOWED_DOWNLOADS}
    assert not problems, "\n".join(problems)
    # the finder sees the download buttons of every page that offers one
    pages = {where.split(":")[0] for where, _ in downloads}
    assert {"pages/data_quality.py", "pages/products.py", "pages/segments.py", "pages/features.py",
            "pages/predictions.py", "pages/recommendations.py", "pages/forecast.py", "pages/campaigns.py",
            "pages/report.py"} <= pages
    assert len(downloads) >= 12
    present = {key for key in ALLOWED_DOWNLOADS if (ROOT / key[0]).is_file()}
    assert allowed_seen == present, f"allow-list entries that match no download any more: {present - allowed_seen}"


@pytest.mark.parametrize("snippet, complaint", [
    ("df.to_csv('x.csv')", ".to_csv("),
    ("data = frame.to_excel(buf)", ".to_excel("),
    ("with pd.ExcelWriter(buf) as w: pass", "ExcelWriter"),
    ("import csv\nw = csv.writer(fh)", "csv.writer"),
    ("st.download_button('CSV', df.to_csv().encode('utf-8'))", "download data"),
    ("col.download_button('CSV', data=payload, file_name='x.csv')", "download data 'payload'"),
    ("from ecom_analytics.predict.audiences import spreadsheet_safe\nst.download_button('x', spreadsheet_safe(df))",
     "download data"),
    ("def csv_bytes(f): return f\nst.download_button('x', csv_bytes(df))", "download data"),  # not imported
    ("st.download_button('HTML', html_text.encode('utf-8'))", "download data"),  # allowed on report.py only
    ("from ecom_analytics.ui import downloads\ndownloads.download('CSV', lambda: frame.to_csv().encode())",
     ".to_csv("),
    ("from ecom_analytics.ui import downloads\ndownloads.download('CSV', lambda: raw_bytes, file_name='x.csv')",
     "download data 'lambda: raw_bytes'"),
    ("from ecom_analytics.ui.downloads import download\ndownload('CSV', make=lambda: bytes(df))", "download data"),
])
def test_the_checker_fails_on_a_bad_snippet(snippet, complaint):
    problems, _ = check_exports(snippet, "pages/bad.py")
    assert problems and complaint in problems[0], problems
    assert problems[0].startswith("pages/bad.py:")


@pytest.mark.parametrize("snippet", [
    "from ecom_analytics.exports import csv_bytes\nst.download_button('CSV', csv_bytes(df, index=False))",
    "from ecom_analytics.exports import excel_bytes as xl\nd3.download_button('XLSX', data=xl(df, sheet='p'))",
    "from ecom_analytics import exports\nst.download_button('CSV', exports.csv_bytes(df))",
    "import ecom_analytics.exports\nst.download_button('CSV', ecom_analytics.exports.csv_bytes(df))",
    "from ecom_analytics.exports import csv_bytes\nfrom ecom_analytics.ui import downloads\n"
    "downloads.download('CSV', lambda: csv_bytes(df, index=False), file_name='x.csv', mime='text/csv')",
    "import functools\nfrom ecom_analytics.exports import excel_bytes\nfrom ecom_analytics.ui.downloads import download\n"
    "download('XLSX', functools.partial(excel_bytes, df, sheet='p'), file_name='x.xlsx', mime='m')",
])
def test_the_checker_passes_a_download_through_exports(snippet):
    assert check_exports(snippet, "pages/good.py")[0] == []


# ------------------------------------------------------------------------------ 3. the CLI end to end

#: every CLI option that writes a table, and the test below that reads it back
CLI_TABLE_OUTPUTS = {("features", "--out"), ("segments", "--out"), ("recommend", "--out"),
                     ("predict", "--predictions"), ("clv", "--out"), ("segment", "--out"),
                     ("segment", "--platform-out")}


def test_every_cli_table_output_is_covered_here():
    from ecom_analytics.cli import OUTPUT_FILES, build_parser

    found = set()
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for command, parser in sub.choices.items():
        for action in parser._actions:
            # JSON is not a spreadsheet, nor is the report command's HTML or PDF (written by exports.write_bytes)
            if action.dest in OUTPUT_FILES and action.dest != "json" and command != "report":
                found.add((command, action.option_strings[0]))
    assert found == CLI_TABLE_OUTPUTS


_LIVE = re.compile(r"[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def assert_safe_and_escaped(path: Path, columns: dict[str, list[str]]) -> None:
    """No cell of the CSV at ``path`` can start a formula (a plain number may start with - or +),
    and each column of ``columns`` holds each of its payloads escaped with an apostrophe."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    live = [(i, cell) for i, row in enumerate(rows) for cell in row if _LIVE.match(cell) and not _NUMBER.fullmatch(cell)]
    assert not live, f"{path.name}: live formula cells {live[:5]}"
    header = rows[0]
    for column, payloads in columns.items():
        values = {row[header.index(column)] for row in rows[1:]}
        for payload in payloads:
            assert "'" + payload in values, f"{path.name}: {column} lacks {payload!r} escaped"
            assert payload not in values


@pytest.fixture(scope="module")
def payload_orders(tmp_path_factory) -> Path:
    """The synthetic shop of test_training (250 customers), with the four payloads as the ids of
    four regular customers (the 21st to 24th busiest: they have features before the cutoff and
    products left to recommend) and the names of its four best-selling products."""
    orders = synthetic_orders(n_customers=250)
    regular = orders["customer_id"].value_counts().index[20:24]
    orders["customer_id"] = orders["customer_id"].replace(dict(zip(regular, PAYLOADS)))
    best = orders["product_name"].value_counts().index[:4]
    orders["product_name"] = orders["product_name"].replace(dict(zip(best, PAYLOADS)))
    path = tmp_path_factory.mktemp("payloads") / "orders.csv"
    path.write_bytes(online_retail_csv(orders))
    assert HYPERLINK in path.read_text(encoding="utf-8").replace('""', '"')
    return path


def test_features_and_segments_escape_the_payloads(payload_orders, tmp_path):
    from ecom_analytics.cli import main

    features, segments = tmp_path / "features.csv", tmp_path / "segments.csv"
    assert main(["features", "--orders", str(payload_orders), "--cutoff", "2023-10-01", "--out", str(features)]) == 0
    assert main(["segments", "--orders", str(payload_orders), "--out", str(segments)]) == 0
    assert_safe_and_escaped(features, {"customer_id": PAYLOADS})
    assert_safe_and_escaped(segments, {"customer_id": PAYLOADS})
    table = pd.read_csv(features)
    assert pd.api.types.is_float_dtype(table["overdue_log_ratio"]) and (table["overdue_log_ratio"] < 0).any()


def test_recommend_escapes_the_payloads(payload_orders, tmp_path):
    from ecom_analytics.cli import main

    out = tmp_path / "recs.csv"
    assert main(["recommend", "--orders", str(payload_orders), "--horizon", "30", "--k", "5",
                 "--models", "popularity,item_knn", "--out", str(out)]) == 0
    assert_safe_and_escaped(out, {"customer_id": PAYLOADS, "product_name": PAYLOADS})


def test_clv_escapes_the_payloads(payload_orders, tmp_path, monkeypatch):
    from ecom_analytics.cli import main

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    out = tmp_path / "clv.csv"
    assert main(["clv", "--orders", str(payload_orders), "--out", str(out)]) == 0
    assert_safe_and_escaped(out, {"customer_id": PAYLOADS})


@pytest.mark.keras
def test_predict_escapes_the_payloads(payload_orders, tmp_path, tiny_neural):
    from ecom_analytics.cli import main

    out = tmp_path / "predictions.csv"
    assert main(["predict", "--orders", str(payload_orders), "--task", "purchase", "--horizon", "30",
                 "--predictions", str(out)]) == 0
    assert_safe_and_escaped(out, {"customer_id": PAYLOADS})
    assert len(pd.read_csv(out)) == 250


def test_recommend_can_write_excel(payload_orders, tmp_path):
    from openpyxl import load_workbook

    from ecom_analytics.cli import main

    out = tmp_path / "recs.xlsx"
    assert main(["recommend", "--orders", str(payload_orders), "--horizon", "30", "--k", "2",
                 "--models", "popularity", "--out", str(out)]) == 0
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + HYPERLINK in {c.value for c in cells}


def test_segment_escapes_the_payloads(payload_orders, tmp_path, monkeypatch):
    """The segment's customers (--out) through the export writer; its ad-platform list holds only
    hex digests under a fixed header, written by the same writer (tests/unit/test_cli_segment.py)."""
    from ecom_analytics.cli import main

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    out = tmp_path / "segment.csv"
    assert main(["segment", "--orders", str(payload_orders), "--rule", "orders >= 1", "--out", str(out)]) == 0
    assert_safe_and_escaped(out, {"customer_id": PAYLOADS})
