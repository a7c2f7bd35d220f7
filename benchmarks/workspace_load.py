"""Workspace under load: CLI ingests, a reader loop and app sessions on one workspace at once.

Target (issue #14, part 3): 4 concurrent CLI ingests + a reader loop + 2 app sessions on the
same workspace, repeated for a few rounds: 0 failures, nothing lost, every dataset listed once.

    python benchmarks/workspace_load.py [--rounds 3] [--small-rows 3000] [--app-sessions 2]

Each round starts four `python -m ecom_analytics ingest FILE --home DIR` runs together: the
full UCI Online Retail file (large), the REES46 events head (`--kind events`), a small
generated orders export that is new every round and one that is the same every round (so the
same dataset id is stored again while others read it). Through all rounds a reader process
lists the datasets and loads every one (rows, quarantine, catalogue row), and each app session
(Streamlit's AppTest of app.py, in its own process) opens a link `?orders=<id>` to a listed
dataset on Overview, then the Workspace page. Prints failures per actor, elapsed times, and
the datasets listed against those the ingests reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))


def small_export(path: Path, seed: int, rows: int) -> Path:
    """A small orders export in the Online Retail layout (read and mapped like the real one)."""
    rng = np.random.default_rng(seed)
    customers = rng.integers(10000, 10000 + max(rows // 8, 10), rows)
    start = pd.Timestamp("2011-01-01") + pd.to_timedelta(seed, unit="D")
    frame = pd.DataFrame({
        "InvoiceNo": [f"5{seed:02d}{i // 3:05d}" for i in range(rows)],
        "StockCode": rng.choice([f"2{k:04d}" for k in range(60)], rows),
        "Description": rng.choice([f"ITEM {k}" for k in range(60)], rows),
        "Quantity": rng.integers(1, 12, rows),
        "InvoiceDate": (start + pd.to_timedelta(rng.integers(0, 300 * 86400, rows), unit="s")).strftime("%Y-%m-%d %H:%M"),
        "UnitPrice": np.round(rng.gamma(2.0, 2.0, rows) + 0.1, 2),
        "CustomerID": customers,
        "Country": rng.choice(["United Kingdom", "France", "Germany"], rows),
    })
    frame.to_csv(path, index=False)
    return path


# -- actors (each runs in its own process) -----------------------------------------------------
def reader_loop(home: str, stop: Path, out: Path) -> None:
    """List and load every dataset until ``stop`` exists; write counts and failures to ``out``."""
    from ecom_analytics.store import Workspace

    ws = Workspace(home)
    failures, times, loads, max_listed = [], [], 0, 0
    while not stop.exists():
        t0 = time.perf_counter()
        try:
            listed = ws.list_datasets()
            ids = list(listed["dataset_id"]) if not listed.empty else []
            max_listed = max(max_listed, len(ids))
            if len(ids) != len(set(ids)):
                failures.append(f"a dataset listed twice: {sorted(ids)}")
            for dataset_id, rows_clean in zip(ids, listed["rows_clean"] if ids else []):
                clean = ws.load_clean(dataset_id)
                ws.load_quarantine(dataset_id)
                if len(clean) != int(rows_clean) or ws.dataset(dataset_id)["rows_clean"] != int(rows_clean):
                    failures.append(f"{dataset_id}: {len(clean)} rows loaded, {rows_clean} listed")
                loads += 1
        except Exception as exc:  # noqa: BLE001 - counted, the loop goes on
            failures.append(f"{type(exc).__name__}: {exc}")
        if ids:
            times.append(time.perf_counter() - t0)  # a pass over every listed dataset
        time.sleep(0.05)
    out.write_text(json.dumps({"runs": len(times), "loads": loads, "failures": failures, "times": times,
                               "max_listed": max_listed}))


def app_session(home: str, stop: Path, out: Path, seed: int) -> None:
    """Open links to listed orders datasets in app.py (AppTest) until ``stop`` exists."""
    os.environ["ECOM_ANALYTICS_HOME"] = home
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from ecom_analytics.store import Workspace

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # run pages through app.py's st.navigation, as a server does
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    rng = np.random.default_rng(seed)
    failures, times, opened = [], [], 0
    while not stop.exists():
        t0 = time.perf_counter()
        try:
            listed = Workspace(home).list_datasets()
            orders = list(listed.loc[listed["kind"] == "orders", "dataset_id"]) if not listed.empty else []
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            if orders:
                at.query_params["orders"] = str(rng.choice(orders))
            at.run()
            at.switch_page("pages/overview.py").run()
            problems = [e.value for e in at.exception] + [e.value for e in at.error] + [
                w.value for w in at.warning if "link" in w.value]
            at.switch_page("pages/workspace.py").run()
            problems += [e.value for e in at.exception] + [e.value for e in at.error]
            if orders and at.session_state["orders_id"] not in orders:
                problems.append("the link's dataset was not opened")
            failures += [str(p)[:300] for p in problems]
            opened += bool(orders)
        except Exception as exc:  # noqa: BLE001 - counted, the loop goes on
            failures.append(f"{type(exc).__name__}: {exc}")
        times.append(time.perf_counter() - t0)
    out.write_text(json.dumps({"runs": len(times), "links": opened, "failures": failures, "times": times}))


# -- the load ----------------------------------------------------------------------------------
def ingest_jobs(tmp: Path, round_no: int, small_rows: int) -> list[tuple[str, list[str]]]:
    jobs = [("online_retail (large)", [str(DATA / "online_retail.csv.gz")]),
            ("rees46 events", [str(DATA / "rees46_2019oct_head.csv.gz"), "--kind", "events"]),
            ("small export, new each round", [str(small_export(tmp / f"shop_round{round_no}.csv", 100 + round_no,
                                                                 small_rows))]),
            ("small export, same each round", [str(small_export(tmp / "shop_same.csv", 7, small_rows))])]
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small-rows", type=int, default=3000)
    parser.add_argument("--app-sessions", type=int, default=2)
    parser.add_argument("--home", help="workspace folder (default: a fresh temporary one)")
    parser.add_argument("--actor", choices=["reader", "app"], help=argparse.SUPPRESS)
    parser.add_argument("--stop", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.actor == "reader":
        return reader_loop(args.home, Path(args.stop), Path(args.out))
    if args.actor == "app":
        return app_session(args.home, Path(args.stop), Path(args.out), args.seed)
    for name in ("online_retail.csv.gz", "rees46_2019oct_head.csv.gz"):
        if not (DATA / name).exists():
            sys.exit(f"{DATA / name} not found: this benchmark needs the files in ../shared/data.")

    tmp = Path(tempfile.mkdtemp(prefix="ecom_load_"))
    home = Path(args.home) if args.home else tmp / "workspace"
    stop = tmp / "stop"
    env = {**os.environ, "ECOM_ANALYTICS_HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}
    me = [sys.executable, str(Path(__file__).resolve()), "--home", str(home), "--stop", str(stop)]
    started = time.perf_counter()
    logs = open(tmp / "actors.log", "w")  # Streamlit's bare-mode chatter of the app sessions goes here
    background = {"reader loop": subprocess.Popen([*me, "--actor", "reader", "--out", str(tmp / "reader.json")],
                                                  env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT)}
    for k in range(args.app_sessions):
        background[f"app session {k + 1}"] = subprocess.Popen(
            [*me, "--actor", "app", "--out", str(tmp / f"app{k + 1}.json"), "--seed", str(k)], env=env, cwd=ROOT,
            stdout=logs, stderr=subprocess.STDOUT)

    ingests: dict[str, dict] = {}
    expected: set[str] = set()
    for round_no in range(1, args.rounds + 1):
        jobs = ingest_jobs(tmp, round_no, args.small_rows)
        procs = []
        for k, (label, cli_args) in enumerate(jobs):
            summary, log = tmp / f"round{round_no}_{k}.json", tmp / f"round{round_no}_{k}.log"
            cmd = [sys.executable, "-m", "ecom_analytics", "ingest", *cli_args, "--home", str(home), "--json", str(summary)]
            with open(log, "w") as handle:
                procs.append([label, summary, log, time.perf_counter(), None,
                              subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)])
        while any(entry[4] is None for entry in procs):  # each run's own end time
            for entry in procs:
                if entry[4] is None and entry[5].poll() is not None:
                    entry[4] = time.perf_counter()
            time.sleep(0.05)
        for label, summary, log, t0, t1, proc in procs:
            err = log.read_text()
            stats = ingests.setdefault(label, {"runs": 0, "failures": [], "times": [], "waited": 0})
            stats["runs"] += 1
            stats["times"].append(t1 - t0)
            stats["waited"] += "Waiting for another program" in err
            if proc.returncode != 0 or not summary.exists():
                stats["failures"].append(f"exit {proc.returncode}: {err.strip()[-300:]}")
            else:
                expected.add(json.loads(summary.read_text())["dataset_id"])
        print(f"round {round_no} done at {time.perf_counter() - started:.0f} s", flush=True)
    time.sleep(2)  # let the readers see the final state
    stop.touch()
    actors: dict[str, dict] = {}
    for label, proc in background.items():
        proc.wait(timeout=900)
        out = tmp / ("reader.json" if label == "reader loop" else f"app{label.rsplit(' ', 1)[1]}.json")
        actors[label] = json.loads(out.read_text()) if out.exists() else {
            "runs": 0, "failures": [f"exit {proc.returncode}, no result"], "times": []}
    logs.close()
    total = time.perf_counter() - started

    from ecom_analytics.store import Workspace

    listed = list(Workspace(home).list_datasets()["dataset_id"])
    folders = home / "datasets"
    leftovers = [p.name for p in folders.iterdir() if p.name.startswith(".")] if folders.exists() else []

    def times(values: list[float]) -> str:
        return f"{statistics.median(values):7.2f} {max(values):7.2f}" if values else f"{'-':>7} {'-':>7}"

    print(f"\n{args.rounds} rounds of 4 concurrent CLI ingests + a reader loop + {args.app_sessions} app sessions, "
          f"one workspace, {total:.0f} s in all (cpu count {os.cpu_count()})\n")
    print(f"{'actor':40} {'runs':>5} {'failures':>8} {'median s':>8} {'max s':>7}  notes")
    for label, stats in ingests.items():
        note = f"waited for the lock {stats['waited']}x" if stats["waited"] else ""
        print(f"{'ingest: ' + label:40} {stats['runs']:5d} {len(stats['failures']):8d} {times(stats['times'])}  {note}")
    for label, stats in actors.items():
        note = (f"passes over all listed datasets; {stats.get('loads', 0)} dataset loads, up to "
                f"{stats.get('max_listed', 0)} listed"
                if label == "reader loop" else f"{stats.get('links', 0)} links opened (Overview + Workspace)")
        print(f"{label:40} {stats['runs']:5d} {len(stats['failures']):8d} {times(stats['times'])}  {note}")
    duplicates = len(listed) - len(set(listed))
    print(f"\ndatasets: expected {len(expected)}, listed {len(listed)}, duplicates {duplicates}, "
          f"missing {len(expected - set(listed))}, unexpected {len(set(listed) - expected)}; "
          f"temporary or half-deleted folders left {len(leftovers)}")
    failures = [f for s in [*ingests.values(), *actors.values()] for f in s["failures"]]
    for failure in failures[:10]:
        print(f"  failure: {failure}")
    print(f"\nfailures in all: {len(failures)}")


if __name__ == "__main__":
    main()
