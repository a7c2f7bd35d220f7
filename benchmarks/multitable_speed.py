"""How long an export of N orders in 4 tables takes to recognise, join and clean, and its peak memory.

Generates an Olist-shaped export with a fixed seed: an order header (order_id, customer_id,
order_status, order_purchase_timestamp), line items (order_id, order_item_id, product_id,
seller_id, shipping_limit_date, price, freight_value; 1 to 4 per order, about 1.3 on average),
customers (customer_id new per order, customer_unique_id for about 0.8 people per order,
zip, city, state) and payments (order_id, payment_sequential, payment_type, payment_installments,
payment_value; a second line on 5 % of the orders) as CSV bytes, then times
``tables.propose_tables`` (read + roles + relations + person key) and ``tables.apply_proposal``
(join + cleaning + payments), and prints the peak resident memory of the process (ru_maxrss).

    /work/venv/bin/python benchmarks/multitable_speed.py [--orders 100000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ecom_analytics.ingest import tables# noqa: E402


def generate(orders: int, seed: int = 0) -> list[tuple[bytes, str]]:
    """The four tables of ``orders`` orders as ``[(csv bytes, filename), ...]``."""
    rng = np.random.default_rng(seed)
    oid = pd.Series([f"{h:032x}" for h in rng.integers(0, 2**62, orders)]).str.slice(0, 32)
    cid = pd.Series([f"c{h:031x}" for h in rng.integers(0, 2**62, orders)])
    people = pd.Series([f"u{h:031x}" for h in rng.integers(0, 2**62, int(orders * 0.8))])
    uid = people.iloc[rng.integers(0, len(people), orders)].to_numpy()
    start = np.datetime64("2017-01-01T00:00:00")
    when = start + rng.integers(0, 730 * 86400, orders).astype("timedelta64[s]")
    status = rng.choice(["delivered", "shipped", "canceled", "invoiced"], orders, p=[0.9, 0.05, 0.03, 0.02])
    header = pd.DataFrame({"order_id": oid, "customer_id": cid, "order_status": status,
                           "order_purchase_timestamp": pd.Series(when).dt.strftime("%Y-%m-%d %H:%M:%S")})
    n_items = rng.choice([1, 2, 3, 4], orders, p=[0.8, 0.12, 0.05, 0.03])
    rows = np.repeat(np.arange(orders), n_items)
    seq = pd.Series(rows).groupby(rows).cumcount().to_numpy() + 1
    price = np.round(rng.lognormal(4, 0.8, len(rows)), 2)
    freight = np.round(rng.uniform(5, 40, len(rows)), 2)
    items = pd.DataFrame({"order_id": oid.iloc[rows].to_numpy(), "order_item_id": seq,
                          "product_id": [f"p{x:08d}" for x in rng.integers(0, 30000, len(rows))],
                          "seller_id": [f"s{x:05d}" for x in rng.integers(0, 3000, len(rows))],
                          "shipping_limit_date": pd.Series(when[rows] + np.timedelta64(3, "D")).dt.strftime(
                              "%Y-%m-%d %H:%M:%S"),
                          "price": price, "freight_value": freight})
    states = np.array(["SP", "RJ", "MG", "RS", "PR", "BA", "SC"])
    customers = pd.DataFrame({"customer_id": cid, "customer_unique_id": uid,
                              "customer_zip_code_prefix": rng.integers(1000, 99999, orders),
                              "customer_city": rng.choice(["sao paulo", "rio de janeiro", "curitiba"], orders),
                              "customer_state": rng.choice(states, orders)})
    total = pd.Series(price + freight).groupby(rows).sum().to_numpy()
    split = rng.random(orders) < 0.05
    first = np.where(split, np.round(total * 0.7, 2), np.round(total, 2))
    pays = pd.DataFrame({"order_id": oid, "payment_sequential": 1,
                         "payment_type": rng.choice(["credit_card", "boleto", "voucher"], orders),
                         "payment_installments": rng.integers(1, 10, orders), "payment_value": first})
    second = pd.DataFrame({"order_id": oid[split].to_numpy(), "payment_sequential": 2, "payment_type": "voucher",
                           "payment_installments": 1, "payment_value": np.round(total[split] - first[split], 2)})
    pays = pd.concat([pays, second], ignore_index=True)
    return [(header.to_csv(index=False).encode(), "olist_orders_dataset.csv"),
            (items.to_csv(index=False).encode(), "olist_order_items_dataset.csv"),
            (customers.to_csv(index=False).encode(), "olist_customers_dataset.csv"),
            (pays.to_csv(index=False).encode(), "olist_order_payments_dataset.csv")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    files = generate(args.orders)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = ", ".join(f"{name} {len(data) / 2**20:.1f} MB" for data, name in files)
    print(f"{args.orders:,} orders in 4 tables: {sizes}")
    t0 = time.perf_counter()
    proposal = tables.propose_tables(files)
    t1 = time.perf_counter()
    result = tables.apply_proposal(proposal, revenue="items_and_freight")
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    r = result.report["cleaning"]
    print("roles: " + ", ".join(f"{f.name}={f.role}" for f in proposal.files))
    print(f"person key: {proposal.person_key.stable} ({proposal.person_key.ids:,} ids, "
          f"{proposal.person_key.people:,} people)")
    print(f"rows in {r['rows_in']:,}, kept {r['rows_clean']:,}, set aside {r['rows_quarantined']:,}, "
          f"reconciles {r['reconciles']}; payments match {result.report['tables']['payments']['share_matching']:.1%}")
    print(f"propose (read 4 files, roles, relations, person key): {t1 - t0:.1f} s")
    print(f"apply (join, cleaning, payments): {t2 - t1:.1f} s")
    print(f"total: {t2 - t0:.1f} s; peak memory (max RSS) {peak:,.0f} MB (after generating the data: {before:,.0f} MB)")


if __name__ == "__main__":
    main()
