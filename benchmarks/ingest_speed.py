"""Ingest speed: read + map + clean + store the full UCI Online Retail file.

Target (issue #2): under 10 s on a 2-core machine, peak memory under 1.5 GB.

    python benchmarks/ingest_speed.py [FILE] [--repeat N]

Prints the time of each stage, lines per second and the process's peak resident memory
(which includes Python, pandas and DuckDB themselves). Each repeat runs in a fresh process
so caches and peak memory do not carry over.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"


def one_run(path: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.store import Workspace

    with tempfile.TemporaryDirectory() as home:
        ws = Workspace(home)
        t0 = time.perf_counter()
        data = path.read_bytes()
        prepared = pipeline.prepare(data, path.name)
        t1 = time.perf_counter()
        result = pipeline.process(prepared, salt=ws.salt())
        t2 = time.perf_counter()
        pipeline.store(result, prepared, ws)
        t3 = time.perf_counter()
    rows = result.report["cleaning"]["rows_in"]
    return {
        "rows": rows,
        "read_and_map_s": round(t1 - t0, 2),
        "clean_s": round(t2 - t1, 2),
        "store_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "lines_per_s": round(rows / (t3 - t0)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = Path(args.file)
    if args.child:
        print(json.dumps(one_run(path)))
        return
    if not path.exists():
        sys.exit(f"{path} not found: pass the Online Retail file (../shared/data/online_retail.csv.gz).")
    runs = []
    for i in range(args.repeat):
        out = subprocess.run([sys.executable, __file__, str(path), "--child"], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"run {i + 1}: {runs[-1]}")
    best = min(runs, key=lambda r: r["total_s"])
    print(f"\n{path.name}: {best['rows']:,} lines; best of {len(runs)}: {best['total_s']} s "
          f"(read+map {best['read_and_map_s']} s, clean {best['clean_s']} s, store {best['store_s']} s), "
          f"{best['lines_per_s']:,} lines/s; peak memory {max(r['peak_rss_mb'] for r in runs)} MB "
          f"(cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
