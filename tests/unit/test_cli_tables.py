"""``ingest FILE [FILE ...]`` with the related tables of one export (issue #16): the hand-counted
Olist-shaped set of tests/unit/test_multitable.py through the command line.

Several files are joined into one stored orders dataset whose summary has the ``tables`` section;
--role, --link, --person-key and --revenue correct the proposal; every bad option is one
'error: ...' line and exit status 2, found before any file is read when it needs no reading.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecom_analytics.cli import main
from ecom_analytics.store import Workspace
from tests.fixtures import OLIST

ORDERS, ITEMS, CUSTOMERS, PAYMENTS, PRODUCTS = list(OLIST)


def write_set(folder: Path, names=tuple(OLIST)) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        (folder / name).write_text(OLIST[name], encoding="utf-8")
        paths.append(str(folder / name))
    return paths


def ingest(tmp_path: Path, files: list[str], *extra: str, capsys=None) -> tuple[int, dict | None, str]:
    """(exit status, the JSON summary or None, stderr)."""
    out = tmp_path / "summary.json"
    out.unlink(missing_ok=True)
    code = main(["ingest", *files, "--json", str(out), "--home", str(tmp_path / "home"), *extra])
    err = capsys.readouterr().err if capsys is not None else ""
    return code, json.loads(out.read_text(encoding="utf-8")) if out.exists() else None, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


@pytest.fixture()
def no_reading(monkeypatch):
    """Reading a file fails the test: an argument check must come first."""
    import ecom_analytics.cli as cli
    import ecom_analytics.ingest.pipeline as pipeline
    import ecom_analytics.ingest.tables as tables

    def started(*args, **kwargs):
        raise AssertionError("a file was read before the arguments were checked")

    for module, name in ((pipeline, "prepare"), (pipeline, "ingest"), (tables, "ingest_tables"),
                         (tables, "propose_tables"), (cli.ingest, "read_file_bytes")):
        monkeypatch.setattr(module, name, started)


@pytest.mark.slow
def test_several_files_are_joined_into_one_stored_dataset_with_the_hand_counted_figures(tmp_path, capsys):
    files = write_set(tmp_path / "olist")
    code, summary, _ = ingest(tmp_path, files)
    assert code == 0
    # 8 line items + 1 order without items (o6) in; o9 has no order, o4's customer is unknown, o5 cancelled
    assert (summary["rows_in"], summary["rows_clean"], summary["rows_quarantined"]) == (9, 5, 4)
    assert summary["reconciles"] and summary["kind"] == "orders"
    q = summary["quarantine"]
    assert (q["item_without_order"], q["order_without_items"], q["unknown_customer"], q["cancellation"]) == (1, 1, 1, 1)
    assert summary["revenue_clean"] == pytest.approx(447.29)
    tab = summary["tables"]
    assert {f["name"]: f["role"] for f in tab["files"]} == {ORDERS: "orders", ITEMS: "items", CUSTOMERS: "customers",
                                                            PAYMENTS: "payments", PRODUCTS: "products"}
    counts = {r["link"]: r["counts"] for r in tab["relations"]}
    assert (counts["items->orders"]["orders_with_items"], counts["items->orders"]["items_without_order"]) == (5, 1)
    assert counts["payments->orders"]["orders_without_payment"] == 1
    assert counts["orders->customers"]["customers_without_orders"] == 1
    assert counts["items->products"]["items_unknown_product"] == 1
    assert tab["person_key"]["stable"] == "customer_unique_id" and tab["person_key"]["people"] == 4
    assert (tab["payments"]["orders_compared"], tab["payments"]["orders_matching"]) == (4, 3)
    assert tab["revenue"] == "items" and summary["files"] == files
    ws = Workspace(tmp_path / "home")
    assert ws.has_dataset(summary["dataset_id"])
    assert sorted(ws.load_clean(summary["dataset_id"])["customer_id"].unique()) == ["u1", "u2"]
    out = capsys.readouterr().out
    assert f"orders dataset {summary['dataset_id']} joined from 5 files: 9 rows in, 5 kept, 4 quarantined" in out
    # the same files in another order: the same dataset
    again = ingest(tmp_path, files[::-1])[1]
    assert again["dataset_id"] == summary["dataset_id"]


@pytest.mark.slow
def test_the_corrections_change_the_join(tmp_path, capsys):
    files = write_set(tmp_path / "olist")
    code, base, _ = ingest(tmp_path, files)
    # the per-order id as the person: every order its own customer, and a warning naming the fix
    code, per_order, err = ingest(tmp_path, files, "--person-key", "none", capsys=capsys)
    assert code == 0 and per_order["dataset_id"] != base["dataset_id"]
    kept = Workspace(tmp_path / "home").load_clean(per_order["dataset_id"])
    assert set(kept["customer_id"]) == {"c1", "c2", "c3", "c4"}  # c4 needs no look-up in the customer table now
    warning = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1 and "repeat behaviour cannot be measured" in warning[0]
    assert "'customer_unique_id'" in warning[0]
    # the product catalogue left out: no relation to it, no category
    code, no_products, _ = ingest(tmp_path, files, "--role", f"{PRODUCTS}=unknown")
    assert code == 0 and "items->products" not in {r["link"] for r in no_products["tables"]["relations"]}
    assert Workspace(tmp_path / "home").load_clean(no_products["dataset_id"])["category"].isna().all()
    # freight counted: o1 38.71, o2 2 x 141.46, o3 179.12 + 20.00
    code, freight, _ = ingest(tmp_path, files, "--revenue", "items_and_freight")
    assert freight["revenue_clean"] == pytest.approx(447.29 + 8.72 + 2 * 22.76 + 19.22)
    assert freight["tables"]["revenue"] == "items_and_freight"
    # a wrong key pair: nothing links, every item set aside, still reconciled; a warning line
    code, wrong, err = ingest(tmp_path, files, "--link", "items->orders=seller_id:order_id", capsys=capsys)
    assert code == 0 and wrong["rows_clean"] == 0 and wrong["reconciles"]
    rel = next(r for r in wrong["tables"]["relations"] if r["link"] == "items->orders")
    assert (rel["child_key"], rel["counts"]["items_without_order"]) == ("seller_id", 8)
    # 8 line items + the 6 orders now without items, all set aside
    assert any(line.startswith("warning: 0 of 14 rows could be kept: 8 rows were set aside as item_without_order")
               for line in err.splitlines())


def test_the_single_file_ingest_is_unchanged(tmp_path):
    single = tmp_path / "retail.csv"
    single.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                      "1,A,2,2011-01-01 10:00,1.5,17850,United Kingdom\n2,B,1,2011-01-02 10:00,3.0,17851,France\n")
    code, summary, _ = ingest(tmp_path, [str(single)], "--delimiter", "comma", "--map", "country=Country")
    assert code == 0 and summary["rows_clean"] == 2 and "tables" not in summary
    assert summary["reading_options"] == {"delimiter": "comma"}


@pytest.mark.parametrize("extra, expected", [
    (["--role", "nope.csv=items"], "--role 'nope.csv=items': 'nope.csv' is not one of the files given"),
    (["--role", ITEMS], f"--role '{ITEMS}' is not FILE=ROLE"),
    (["--role", f"{ITEMS}=lines"], "'lines' is not a role; use one of orders, items, customers"),
    (["--link", "items-orders=order_id:order_id"], "'items-orders' is not a link; use one of items->orders"),
    (["--link", "items->orders=order_id"], "is not CHILD->PARENT=CHILD_COL:PARENT_COL"),
    (["--revenue", "gross"], "--revenue 'gross' is not a revenue choice; use items or items_and_freight"),
    (["--person-key", " "], "--person-key is empty"),
    (["--encoding", "cp1252"], "--encoding applies to one file; with several files each file's encoding"),
    (["--no-header"], "--no-header applies to one file"),
    (["--kind", "events"], "--kind events applies to one file"),
])
def test_a_bad_option_with_several_files_is_one_line_before_reading(tmp_path, capsys, no_reading, extra, expected):
    files = write_set(tmp_path / "olist")
    code, summary, err = ingest(tmp_path, files, *extra, capsys=capsys)
    assert code == 2 and summary is None
    assert expected in one_error_line(err)


def test_bad_files_and_the_tables_options_with_one_file_are_one_line_before_reading(tmp_path, capsys, no_reading):
    files = write_set(tmp_path / "olist")
    for argv, expected in [
        ([files[0], "--revenue", "items"], "--revenue applies to the tables of one export given together"),
        ([files[0], "--role", f"{ORDERS}=orders"], "--role applies to the tables of one export given together"),
        ([*files, str(tmp_path / "nope.csv")], f"No file at {tmp_path / 'nope.csv'} (FILE)"),
        ([*files, write_set(tmp_path / "other", [ITEMS])[0]], f"Two files are called '{ITEMS}'"),
    ]:
        code, _, err = ingest(tmp_path, argv, capsys=capsys)
        assert code == 2 and expected in one_error_line(err), (argv, err)
    code = main(["ingest", *files, "--json", files[1], "--home", str(tmp_path / "home")])
    assert code == 2 and "is the input file given as FILE" in one_error_line(capsys.readouterr().err)


def test_columns_that_do_not_exist_are_one_line_once_the_files_are_read(tmp_path, capsys):
    files = write_set(tmp_path / "olist")
    code, summary, err = ingest(tmp_path, files, "--link", "items->orders=nope:order_id", capsys=capsys)
    assert code == 2 and summary is None
    assert f"'{ITEMS}' has no column 'nope'" in one_error_line(err)
    code, summary, err = ingest(tmp_path, files, "--person-key", "member_no", capsys=capsys)
    assert code == 2 and f"'{CUSTOMERS}' has no column 'member_no'" in one_error_line(err)
    assert not (tmp_path / "home" / "datasets").exists() or not Workspace(tmp_path / "home").list_datasets().shape[0]


def test_map_applies_to_files_of_one_layout_and_is_refused_for_the_tables_of_an_export(tmp_path, capsys):
    """realE 10: twelve monthly files without a buyer column were read as one export, and the refusal's own advice
    (--map customer_id=Order ID) was then refused ("--map applies to one file")."""
    files = write_set(tmp_path / "olist")
    code, summary, err = ingest(tmp_path, files, "--map", "amount=price", capsys=capsys)
    assert code == 2 and summary is None
    assert "--map applies to one file, or to files of one layout read as one export" in one_error_line(err)
    months = []
    for month, day in (("April", 4), ("May", 5)):
        path = tmp_path / f"Sales_{month}_2019.csv"
        path.write_text("Order ID,Product,Quantity Ordered,Price Each,Order Date\n" + "".join(
            f"{day}{i},Cable {i % 3},{1 + i % 2},11.95,0{day}/1{i}/19 10:00\n" for i in range(6)), encoding="utf-8")
        months.append(str(path))
    code, summary, err = ingest(tmp_path, months, "--map", "customer_id=Order ID", capsys=capsys)
    assert code == 0, err
    assert summary["mapping"]["customer_id"] == "Order ID" and summary["rows_clean"] == 12


def test_kind_sales_is_one_name_in_ingest_and_forecast(tmp_path, capsys):
    """`forecast --kind sales` existed while `ingest --kind` took orders and events only."""
    path = tmp_path / "monthly.csv"
    path.write_text("Month,Sales\n" + "".join(f"1964-{m:02d},{2800 + 100 * m}\n" for m in range(1, 13)),
                    encoding="utf-8")
    code, summary, err = ingest(tmp_path, [str(path)], "--kind", "sales", capsys=capsys)
    assert code == 0, err
    assert summary["kind"] == "sales" and summary["rows_clean"] == 12
    assert summary["revenue_clean"] == sum(2800 + 100 * m for m in range(1, 13))
    code, summary, err = ingest(tmp_path, write_set(tmp_path / "olist"), "--kind", "sales", capsys=capsys)
    assert code == 2 and summary is None
    assert "--kind sales applies to one file, or to files of one layout" in one_error_line(err)
