"""Scale benchmark (issue #19): a large orders file, ingested and analysed, beside a bare DuckDB read.

    python benchmarks/scale.py [--lines 10000000] [--engine duckdb|spark] [--workdir /tmp/ecom_scale] [--repeat N]

1. Builds the file from ``../shared/data/online_retail.csv.gz``: Online Retail (541,909 lines)
   repeated until ``--lines`` lines, copy k with customer and invoice numbers shifted by
   k x 100,000 / k x 1,000,000 and dates by k x 7 days (so copies are new customers and orders,
   and duplicates, cancellations and missing customers recur as in the original).
2. Measures, each in a fresh process (time, and the process's peak resident memory):
   - ``bare``: DuckDB ``read_csv_auto`` of the file into an in-memory table (the yardstick);
   - ``ingest``: the product's ingest (``stream.ingest_path``: the SQL path for such a file),
     read + map + clean + store (Parquet by month);
   - ``analyse``: customer features at a cutoff, RFM segments, overview KPIs and cohorts on the
     stored dataset, read in place (``Workspace.scan``) on DuckDB;
   - with ``--engine spark``: the same features on Spark local mode, compared column by column
     with DuckDB's (floats to 1e-9 relative, everything else exactly).
3. Prints the figures, the targets of the issue and the load average (the machine may be shared).
   With ``--repeat N`` the bare read and the ingest run N times each, alternately (bare, ingest,
   bare, ingest, ...), each ingest into an empty workspace: every pair's ratios are printed, and
   the figures are the medians of the time and CPU ratios, since other jobs on a shared machine
   change single runs by a factor of two.
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
SOURCE = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"
SOURCE_LINES = 541_909
CUTOFF = "2011-10-01"


def build(path: Path, lines: int) -> None:
    """Write ``lines`` order lines of Online Retail, repeated with shifted ids and dates."""
    import duckdb

    copies = -(-lines // SOURCE_LINES)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"""CREATE TEMP TABLE src AS SELECT row_number() OVER () AS n, * FROM read_csv('{SOURCE}',
            header = true, all_varchar = true)""")
        target = str(path).replace("'", "''")
        # the benchmark's input, an imitation of a raw export: written by DuckDB as the shop would
        # export it (values untouched), not a file handed to a person, so not through exports.py
        con.execute(f"""COPY (
            SELECT
              regexp_extract(InvoiceNo, '^[A-Za-z]*') || CAST(TRY_CAST(regexp_extract(InvoiceNo, '[0-9]+$') AS BIGINT)
                  + k * 1000000 AS VARCHAR) AS InvoiceNo,
              StockCode, Description, Quantity,
              strftime(CAST(InvoiceDate AS TIMESTAMP) + k * INTERVAL 7 DAY, '%Y-%m-%d %H:%M:%S') AS InvoiceDate,
              UnitPrice,
              CAST(TRY_CAST(CustomerID AS BIGINT) + k * 100000 AS VARCHAR) AS CustomerID,
              Country
            FROM src, range({copies}) AS r(k)
            ORDER BY k, n
            LIMIT {int(lines)}
        ) TO '{target}' (FORMAT csv, HEADER true)""")
    finally:
        con.close()


def measure(step: str, args: argparse.Namespace) -> dict:
    """Run one step in a fresh process; its time and peak memory."""
    out = subprocess.run([sys.executable, __file__, "--step", step, "--workdir", args.workdir,
                          "--lines", str(args.lines)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    if out.returncode:
        sys.exit(f"step {step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_step(step: str, workdir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    data = workdir / "orders.csv"
    t0 = time.perf_counter()
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # user + system, every thread of the process
    extra: dict = {}
    if step == "bare":
        import duckdb

        con = duckdb.connect()
        rows = con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv_auto('{data}')").fetchone()[0]
        extra["rows"] = int(rows)
    elif step == "ingest":
        from ecom_analytics.ingest import stream
        from ecom_analytics.store import Workspace

        ws = Workspace(workdir / "workspace")
        result, note = stream.ingest_path(data, ws)
        (workdir / "dataset_id").write_text(result.dataset_id)
        r = result.report["cleaning"]
        extra = {"path": getattr(result, "path", "python"), "note": note.english() if note else None,
                 "rows_in": r["rows_in"], "rows_clean": r["rows_clean"], "reconciles": r["reconciles"],
                 "phases": getattr(result, "phases", {})}
    elif step in ("analyse", "spark"):
        import ibis
        import pandas as pd

        from ecom_analytics import engine
        from ecom_analytics.ingest.inputs import returns_expr
        from ecom_analytics.insights import cohorts, features, overview, segments
        from ecom_analytics.store import Workspace

        ws = Workspace(workdir / "workspace")
        dataset_id = (workdir / "dataset_id").read_text().strip()
        con = engine.connect("spark" if step == "spark" else "duckdb")
        orders = ws.scan(dataset_id, con)
        returns = returns_expr(ws.scan(dataset_id, con, part="quarantine")).drop("reason", "reasons", "detail")
        t1 = time.perf_counter()
        table = features.build_customer_features(orders, pd.Timestamp(CUTOFF), returns=returns, engine=step)
        t2 = time.perf_counter()
        extra = {"customers": len(table), "features_s": round(t2 - t1, 1)}
        if step == "analyse":
            rfm = segments.rfm_scores(table)
            t3 = time.perf_counter()
            kpis = overview.kpis(orders)
            t4 = time.perf_counter()
            cohort_table = cohorts.cohorts(orders)
            t5 = time.perf_counter()
            extra.update({"rfm_s": round(t3 - t2, 1), "overview_s": round(t4 - t3, 1), "cohorts_s": round(t5 - t4, 1),
                          "revenue": round(kpis["revenue"], 2), "orders": kpis["orders"],
                          "segments": int(rfm["segment"].nunique()), "cohorts": int(cohort_table["cohort"].nunique())})
            table.to_parquet(workdir / "features_duckdb.parquet")
        else:
            duck = pd.read_parquet(workdir / "features_duckdb.parquet")
            extra["identical"] = _same(duck, table)
        del ibis
    else:
        raise SystemExit(f"unknown step {step}")
    seconds = time.perf_counter() - t0
    peak_mb = _peak_mb()
    cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu0
    return {"step": step, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_mb": round(peak_mb), **extra}


def _print_pairs(pairs: list[tuple[dict, dict]]) -> None:
    """Each alternated pair's ratios, and their medians (what --repeat reports)."""
    import statistics

    time_ratios = [i["seconds"] / b["seconds"] for b, i in pairs]
    cpu_ratios = [i["cpu_seconds"] / max(b["cpu_seconds"], 0.1) for b, i in pairs]
    print(f"\n{len(pairs)} alternated runs (bare, ingest): " + "; ".join(
        f"{b['seconds']} s / {i['seconds']} s = {t:.1f} x, CPU {b['cpu_seconds']} s / {i['cpu_seconds']} s = {c:.1f} x "
        f"(load {b['load_before']})" for (b, i), t, c in zip(pairs, time_ratios, cpu_ratios)))
    print(f"median ratio: {statistics.median(time_ratios):.1f} x in time (target <= 3 x), "
          f"{statistics.median(cpu_ratios):.1f} x in CPU; ingest peak at most "
          f"{max(i['peak_mb'] for _, i in pairs)} MB; median ingest {statistics.median(i['seconds'] for _, i in pairs):.1f} s, "
          f"{statistics.median(i['cpu_seconds'] for _, i in pairs):.1f} s of CPU")


def _peak_mb() -> float:
    """This process's peak resident memory in MB: VmHWM (reset at exec, unlike getrusage's
    ru_maxrss, which a child inherits from the process that started it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _same(a, b) -> str:
    """'yes', or the first column that differs (floats compared to 1e-9 relative)."""
    import numpy as np
    import pandas as pd

    if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
        return "no: different columns or customers"
    for col in a.columns:
        if pd.api.types.is_float_dtype(a[col]):
            if not np.allclose(a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-9, atol=1e-12, equal_nan=True):
                return f"no: {col}"
        elif not a[col].equals(b[col]):
            return f"no: {col}"
    return "yes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                        help="spark: also compute the features on Spark local mode and compare them")
    parser.add_argument("--workdir", default="/tmp/ecom_scale")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the bare read and the ingest this many times each, alternately; medians")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(args.workdir) / f"lines_{args.lines}"
    if args.step:
        print(json.dumps(run_step(args.step, workdir)))
        return
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} not found: the benchmark builds its file from Online Retail.")
    workdir.mkdir(parents=True, exist_ok=True)
    args.workdir = args.workdir  # the child adds lines_<N> itself
    data = workdir / "orders.csv"
    if not data.exists():
        t0 = time.perf_counter()
        build(data, args.lines)
        print(f"built {data} ({data.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - t0:.0f} s")
    import shutil

    results, pairs = {}, []
    for _ in range(max(1, args.repeat)):
        for step in ("bare", "ingest"):
            if step == "ingest":
                shutil.rmtree(workdir / "workspace", ignore_errors=True)
            load = os.getloadavg()[0]
            results[step] = measure(step, args)
            results[step]["load_before"] = round(load, 1)
            print(json.dumps(results[step]))
        pairs.append((results["bare"], results["ingest"]))
    for step in ["analyse"] + (["spark"] if args.engine == "spark" else []):
        load = os.getloadavg()[0]
        results[step] = measure(step, args)
        results[step]["load_before"] = round(load, 1)
        print(json.dumps(results[step]))
    bare, ingest = results["bare"], results["ingest"]
    if len(pairs) > 1:
        _print_pairs(pairs)
    print(f"\n{args.lines:,} order lines ({data.stat().st_size / 1e6:,.0f} MB CSV), {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} (1 min) at the end")
    print(f"bare DuckDB read_csv_auto: {bare['seconds']} s, {bare['peak_mb']} MB peak")
    print(f"bare DuckDB read_csv_auto CPU: {bare['cpu_seconds']} s")
    print(f"ingest ({ingest['path']} path): {ingest['seconds']} s = {ingest['seconds'] / bare['seconds']:.1f} x bare "
          f"(target <= 3 x), {ingest['peak_mb']} MB peak (target < 2,048 MB at 10 M lines); "
          f"{ingest['rows_clean']:,} of {ingest['rows_in']:,} lines kept, reconciles: {ingest['reconciles']}")
    print(f"ingest CPU: {ingest['cpu_seconds']} s = {ingest['cpu_seconds'] / max(bare['cpu_seconds'], 0.1):.1f} x bare's "
          "CPU (less sensitive than wall time to other jobs on the machine)")
    if ingest.get("phases"):
        print("ingest phases (s): " + ", ".join(f"{k} {v}" for k, v in ingest["phases"].items()))
    a = results["analyse"]
    print(f"features {a['features_s']} s + RFM {a['rfm_s']} s + overview {a['overview_s']} s + cohorts "
          f"{a['cohorts_s']} s on DuckDB ({a['customers']:,} customers), {a['peak_mb']} MB peak; "
          f"ingest + analysis {ingest['seconds'] + a['seconds']:.0f} s")
    if "spark" in results:
        s = results["spark"]
        print(f"Spark local mode: features {s['features_s']} s (DuckDB {a['features_s']} s), identical: {s['identical']}")


if __name__ == "__main__":
    main()
