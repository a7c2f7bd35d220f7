"""Feature speed: customer features at one cutoff.

Targets (issue #3): all Online Retail customers in under 2 s; a generated 10-million-row
events log in under 60 s with peak memory under 4 GB.

    python benchmarks/features_speed.py [--events-rows 10000000]

The events log is synthetic (uniform users and products, a realistic event-type mix over
90 days); only its size matters here. Each measurement runs in a fresh process; peak memory
is the process's peak resident set, including building the log itself.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONLINE_RETAIL = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_orders() -> dict:
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from ecom_analytics.ingest import pipeline
    from ecom_analytics.ingest.inputs import returns_of
    from ecom_analytics.insights.features import build_customer_features

    prepared = pipeline.prepare(ONLINE_RETAIL.read_bytes(), ONLINE_RETAIL.name)
    result = pipeline.process(prepared)
    clean, q = result.cleaning.clean, result.cleaning.quarantine
    returns = returns_of(q)
    cutoff = pd.Timestamp("2011-12-10")
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        table = build_customer_features(clean, cutoff, returns=returns)
        timings.append(time.perf_counter() - t0)
    return {"what": "Online Retail orders", "rows": len(clean), "customers": len(table), "features": table.shape[1],
            "best_s": round(min(timings), 2), "peak_rss_mb": _peak_mb()}


def run_events(n: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import pandas as pd

    from ecom_analytics.insights.features import build_customer_features

    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    users = rng.integers(0, max(1, n // 40), n)
    start = pd.Timestamp("2024-01-01").value
    span = 90 * 86400 * 10**9
    events = pd.DataFrame({
        "user_id": pd.array(users.astype(str), dtype="string"),
        "timestamp": pd.to_datetime(start + rng.integers(0, span, n)),
        "event_type": pd.array(rng.choice(["view", "cart", "remove_from_cart", "wishlist", "purchase"], n,
                                          p=[0.8, 0.1, 0.03, 0.02, 0.05]), dtype="string"),
        "product_id": pd.array(rng.integers(0, 50_000, n).astype(str), dtype="string"),
        "category": pd.array(rng.choice([f"c{i}" for i in range(200)], n), dtype="string"),
        "brand": pd.array([None] * n, dtype="string"),
        "price": rng.gamma(2.0, 20.0, n),
        "session_id": pd.array((users * 100 + rng.integers(0, 30, n)).astype(str), dtype="string"),
    })
    built = time.perf_counter() - t0
    t1 = time.perf_counter()
    table = build_customer_features(None, pd.Timestamp("2024-03-31"), events=events)
    took = time.perf_counter() - t1
    return {"what": "generated events", "rows": n, "users": len(table), "features": table.shape[1],
            "build_log_s": round(built, 1), "features_s": round(took, 1), "peak_rss_mb": _peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events-rows", type=int, default=10_000_000)
    parser.add_argument("--child", choices=["orders", "events"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "orders":
        print(json.dumps(run_orders()))
        return
    if args.child == "events":
        print(json.dumps(run_events(args.events_rows)))
        return
    for child in ("orders", "events"):
        if child == "orders" and not ONLINE_RETAIL.exists():
            print(f"skipped orders: {ONLINE_RETAIL} not found")
            continue
        out = subprocess.run([sys.executable, __file__, "--child", child, "--events-rows", str(args.events_rows)],
                             capture_output=True, text=True, env=os.environ.copy())
        if out.returncode:
            print(out.stderr[-2000:])
            sys.exit(out.returncode)
        print(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
