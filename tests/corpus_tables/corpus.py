"""A corpus of multi-table exports built from the real Online Retail file, for ecom_analytics.ingest.tables.

:func:`split` cuts the order lines of ``online_retail.csv.gz`` (``../shared/data``) into five
related tables, the way marketplaces export them, under the headers, file names, delimiters,
decimal marks and date formats of one :data:`VARIANTS` entry (English/Olist-like, German,
Spanish, Chinese, Portuguese):

* order header: one line per invoice (its first line's date and country) with a *per-order*
  customer id (a new id for every order, as Olist's ``customer_id``), empty when the line had no
  CustomerID;
* line items: invoice, stock code, quantity, unit price, every line in file order;
* products: stock code and the first description given for it;
* customers: per-order id -> the stable person key (the original CustomerID) and country;
* payments: per invoice the lines' total; every invoice at position ``i % 20 == 7`` pays 10 % + 1
  more (a mismatch), ``i % 10 == 1`` pays in two lines (60/40), ``i % 50 == 3`` has no payment.

So the join of the five tables must give back the original file's canonical table (with each
invoice's first date and each code's first description, which is all a header and a catalogue
can hold), the person key must be found, and the payment match share is known in advance
(:func:`expected_payment_match`).

``python -m tests.corpus_tables.corpus [--rows N]`` prints, per variant, the roles, relations,
the share of rows kept by the joins and the time, on the whole file by default.
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "online_retail.csv.gz"

#: per variant: file name and headers per table, delimiter, decimal mark, date format, encoding
VARIANTS: dict[str, dict] = {
    "olist_en": {
        "orders": ("orders_dataset.csv", ["order_id", "customer_id", "order_purchase_timestamp", "order_country"]),
        "items": ("order_items_dataset.csv", ["order_id", "product_id", "quantity", "price"]),
        "products": ("products_dataset.csv", ["product_id", "product_name"]),
        "customers": ("customers_dataset.csv", ["customer_id", "customer_unique_id", "customer_country"]),
        "payments": ("order_payments_dataset.csv", ["order_id", "payment_sequential", "payment_type", "payment_value"]),
        "sep": ",", "decimal": ".", "date": "%Y-%m-%d %H:%M:%S", "encoding": "utf-8",
    },
    "de": {
        "orders": ("Bestellungen.csv", ["Bestellnummer", "Kunden-Nr.", "Bestelldatum", "Land"]),
        "items": ("Bestellpositionen.csv", ["Bestellnummer", "Artikelnummer", "Menge", "Einzelpreis"]),
        "products": ("Artikel.csv", ["Artikelnummer", "Bezeichnung"]),
        "customers": ("Kunden.csv", ["Kunden-Nr.", "Stammkunden-Nr.", "Land"]),
        "payments": ("Zahlungen.csv", ["Bestellnummer", "Zahlung Nr.", "Zahlungsart", "Zahlungsbetrag"]),
        "sep": ";", "decimal": ",", "date": "%d.%m.%Y %H:%M", "encoding": "utf-8",
    },
    "es": {
        "orders": ("pedidos.csv", ["numero_pedido", "id_cliente", "fecha_pedido", "pais"]),
        "items": ("lineas_pedido.csv", ["numero_pedido", "codigo_producto", "cantidad", "precio_unitario"]),
        "products": ("productos.csv", ["codigo_producto", "descripcion"]),
        "customers": ("clientes.csv", ["id_cliente", "numero_socio", "pais"]),
        "payments": ("pagos.csv", ["numero_pedido", "secuencia", "metodo_pago", "importe_pagado"]),
        "sep": ",", "decimal": ".", "date": "%d/%m/%Y %H:%M", "encoding": "utf-8",
    },
    "zh": {
        "orders": ("订单.csv", ["订单号", "客户ID", "下单时间", "国家"]),
        "items": ("订单明细.csv", ["订单号", "商品编号", "数量", "单价"]),
        "products": ("商品.csv", ["商品编号", "商品名称"]),
        "customers": ("客户.csv", ["客户ID", "会员号", "国家"]),
        "payments": ("支付.csv", ["订单号", "支付序号", "支付方式", "支付金额"]),
        "sep": ",", "decimal": ".", "date": "%Y/%m/%d %H:%M", "encoding": "gb18030",
    },
    "pt": {
        "orders": ("pedidos.tsv", ["id_pedido", "id_cliente", "data_compra", "pais"]),
        "items": ("itens_pedido.tsv", ["id_pedido", "id_produto", "quantidade", "preco"]),
        "products": ("produtos.tsv", ["id_produto", "descricao_produto"]),
        "customers": ("clientes.tsv", ["id_cliente", "id_unico_cliente", "pais_cliente"]),
        "payments": ("pagamentos.tsv", ["id_pedido", "sequencia_pagamento", "tipo_pagamento", "valor_pagamento"]),
        "sep": "\t", "decimal": ",", "date": "%Y-%m-%d %H:%M:%S", "encoding": "utf-8",
    },
}
ROLES = ("orders", "items", "products", "customers", "payments")


def load_original(rows: int | None = None, every: int = 1) -> pd.DataFrame:
    """The Online Retail lines as text (all, or of every ``every``-th invoice, at most ``rows`` lines)."""
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False, na_values=[""])
    if every > 1:
        invoices = frame["InvoiceNo"].drop_duplicates()
        frame = frame[frame["InvoiceNo"].isin(invoices.iloc[::every])]
    if rows is not None:
        frame = frame.head(rows)
    return frame.reset_index(drop=True)


def original_csv(frame: pd.DataFrame) -> bytes:
    """The lines as the single-file export they came from."""
    return frame.to_csv(index=False).encode()


def per_order_id(invoices: pd.Series) -> pd.Series:
    """A new customer id for every order (Olist's trap): 12 hex digits of the invoice's hash."""
    return invoices.map(lambda s: hashlib.sha1(f"customer-of-{s}".encode()).hexdigest()[:12])


def _money(values: pd.Series, decimal: str) -> pd.Series:
    text = values.map(lambda v: f"{v:.2f}")
    return text.str.replace(".", ",", regex=False) if decimal == "," else text


def split(frame: pd.DataFrame, variant: str) -> dict[str, tuple[str, bytes]]:
    """The five tables of ``frame`` (Online Retail lines) as role -> (file name, bytes) of ``variant``."""
    v = VARIANTS[variant]
    first = frame.drop_duplicates("InvoiceNo").reset_index(drop=True)
    has_customer = first["CustomerID"].notna()
    per_order = per_order_id(first["InvoiceNo"]).where(has_customer)
    when = pd.to_datetime(first["InvoiceDate"]).dt.strftime(v["date"])
    tables = {
        "orders": pd.DataFrame({0: first["InvoiceNo"], 1: per_order, 2: when, 3: first["Country"]}),
        "items": pd.DataFrame({0: frame["InvoiceNo"], 1: frame["StockCode"], 2: frame["Quantity"],
                               3: frame["UnitPrice"].str.replace(".", v["decimal"], regex=False)}),
    }
    names = frame.dropna(subset=["Description"]).drop_duplicates("StockCode")
    codes = frame[["StockCode"]].drop_duplicates().merge(names[["StockCode", "Description"]], how="left")
    tables["products"] = pd.DataFrame({0: codes["StockCode"], 1: codes["Description"]})
    tables["customers"] = pd.DataFrame({0: per_order[has_customer], 1: first.loc[has_customer, "CustomerID"],
                                        2: first.loc[has_customer, "Country"]})
    total = (pd.to_numeric(frame["Quantity"]) * pd.to_numeric(frame["UnitPrice"])).groupby(
        frame["InvoiceNo"], sort=False).sum().reindex(first["InvoiceNo"]).to_numpy()
    i = np.arange(len(first))
    paid = np.where(i % 20 == 7, total * 1.1 + 1.0, total)
    pay = pd.DataFrame({"order": first["InvoiceNo"], "seq": 1, "type": np.where(i % 3 == 0, "card", "voucher"),
                        "value": paid, "i": i})
    pay = pay[i % 50 != 3]
    two = pay["i"] % 10 == 1
    second = pay[two].assign(seq=2, type="voucher", value=lambda d: (d["value"] - (d["value"] * 0.6).round(2)))
    pay.loc[two, "value"] = (pay.loc[two, "value"] * 0.6).round(2)
    pay = pd.concat([pay, second]).sort_values(["i", "seq"], kind="stable")
    tables["payments"] = pd.DataFrame({0: pay["order"], 1: pay["seq"], 2: pay["type"],
                                       3: _money(pay["value"], v["decimal"])})
    out = {}
    for role in ROLES:
        name, headers = v[role]
        table = tables[role].copy()
        table.columns = headers
        buf = io.StringIO()
        table.to_csv(buf, index=False, sep=v["sep"])
        out[role] = (name, buf.getvalue().encode(v["encoding"]))
    return out


def expected_payment_match(frame: pd.DataFrame) -> tuple[int, int]:
    """(orders with items and a payment, of which matching) as the split builds them."""
    i = np.arange(frame["InvoiceNo"].nunique())
    compared = i % 50 != 3
    return int(compared.sum()), int((compared & (i % 20 != 7)).sum())


def expected_canonical(original: pd.DataFrame) -> pd.DataFrame:
    """What the join of the split tables should give: the original file's canonical table with each
    invoice's first date and each stock code's first description (``original`` is that table)."""
    out = original.copy()
    out["timestamp"] = out.groupby("order_id", sort=False)["timestamp"].transform("first")
    first_name = out.dropna(subset=["product_name"]).drop_duplicates("product_id").set_index("product_id")["product_name"]
    out["product_name"] = out["product_id"].map(first_name).astype("string")
    return out


def main() -> None:
    import argparse

    from ecom_analytics.ingest import tables

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="first N lines only (default: the whole file)")
    parser.add_argument("--every", type=int, default=1, help="every N-th invoice only (default: all)")
    args = parser.parse_args()
    frame = load_original(args.rows, args.every)
    print(f"{len(frame):,} order lines, {frame['InvoiceNo'].nunique():,} invoices")
    for variant in VARIANTS:
        files = split(frame, variant)
        start = time.perf_counter()
        proposal = tables.propose_tables([(data, name) for name, data in files.values()])
        result = tables.apply_proposal(proposal)
        seconds = time.perf_counter() - start
        r = result.report["cleaning"]
        joined = {x["rule"]: x["quarantined"] for x in r["rules"]}
        set_aside_by_links = sum(joined[x] for x, _ in tables.JOIN_RULES)
        roles = {f.name: f.role for f in proposal.files}
        pay = result.report["tables"]["payments"]
        print(f"{variant:9s} roles {'ok' if list(roles.values()) == list(ROLES) else roles} "
              f"person key {proposal.person_key.stable!r}; rows in {r['rows_in']:,}, joined "
              f"{1 - set_aside_by_links / r['rows_in']:.2%} (set aside by the links {set_aside_by_links:,}), "
              f"kept after cleaning {r['rows_clean']:,} ({r['rows_clean'] / r['rows_in']:.1%}); payments match "
              f"{pay['share_matching']:.1%}; reconciles {r['reconciles']}; {seconds:.1f} s")


if __name__ == "__main__":
    main()
