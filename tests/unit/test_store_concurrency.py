"""The workspace shared by the app and any number of CLI runs (issue 14, part 3).

Each dataset is an immutable folder published by one rename; readers take no lock; the few
writer steps that must not interleave take a short advisory lock. These tests check what an
analyst would notice: frames come back exactly as the DuckDB workspace gave them, a dataset
is listed once however many programs save it, a reader never fails or sees half a dataset
while a writer works, a writer that cannot get the lock says so in a sentence, and a workspace
of the earlier single-file layout is moved over with nothing lost.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from ecom_analytics.errors import InputError, NotFoundError
from ecom_analytics.store import WAITING_MESSAGE, Workspace, _restore_dtypes
from tests.app.conftest import router_mode  # noqa: F401 - AppTest runs through app.py's st.navigation

ROOT = Path(__file__).resolve().parents[2]

# the catalogue of the single-file workspace, as `git show 18185d6:ecom_analytics/store.py` creates it
OLD_CATALOGUE = """CREATE TABLE IF NOT EXISTS datasets (
    dataset_id VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, source_name VARCHAR,
    created_at TIMESTAMP, size_bytes BIGINT, rows_in BIGINT, rows_clean BIGINT,
    rows_quarantined BIGINT, revenue_in DOUBLE, revenue_clean DOUBLE,
    mapping VARCHAR, report VARCHAR)"""


def frames(seed: int, n: int = 60) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(clean, quarantine) with every dtype the pipeline produces, rows out of source order."""
    rng = np.random.default_rng(seed)
    lines = rng.permutation(np.arange(2, n + 2))
    clean = pd.DataFrame({
        "customer_id": pd.array([f"c{seed}_{i % 7}" if i % 5 else None for i in range(n)], dtype="str"),
        "category": pd.array([None] * n, dtype="string"),          # nothing filled in
        "status": pd.array(["shipped"] * (n - 1) + [pd.NA], dtype="string"),
        "timestamp": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, n), unit="s"),
        "quantity": rng.integers(1, 9, n).astype("float64"),
        "amount": np.round(rng.gamma(2.0, 20.0, n), 2),
        "items": rng.integers(0, 5, n).astype("int64"),
        "maybe_items": pd.array([i if i % 4 else None for i in range(n)], dtype="Int64"),
        "source_line": lines.astype("int64"),
        "is_outlier": rng.random(n) > 0.9,
        "maybe_flag": pd.array([True if i % 3 else None for i in range(n)], dtype="boolean"),
    })
    clean.loc[3, "timestamp"] = pd.NaT
    quarantine = clean.iloc[0:0].assign(reason=pd.Series(dtype="str"), reasons=pd.Series(dtype="str"),
                                        detail=pd.Series(dtype="string"))
    return clean, quarantine


def report(clean: pd.DataFrame, quarantine: pd.DataFrame) -> dict:
    return {"cleaning": {"rows_in": len(clean) + len(quarantine), "rows_clean": len(clean),
                         "rows_quarantined": len(quarantine), "revenue_in": float(clean["amount"].sum()),
                         "revenue_clean": float(clean["amount"].sum()), "quarantine": {}},
            "reading": {"encoding": "utf-8"}}


def save(ws: Workspace, dataset_id: str, seed: int, name: str | None = None) -> None:
    clean, quarantine = frames(seed)
    ws.save_dataset(dataset_id, name=name or f"data {seed}", kind="orders", source_name=f"f{seed}.csv",
                    size_bytes=1000 + seed, clean=clean, quarantine=quarantine,
                    mapping={"customer_id": "Customer"}, report=report(clean, quarantine))


def as_duckdb_workspace_gave(frame: pd.DataFrame) -> pd.DataFrame:
    """What the single-file DuckDB workspace returned for ``frame``: a table made from it,
    read back ordered by source_line, through the same dtype restoration."""
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        con.execute("CREATE TABLE t AS SELECT * FROM frame")
        return _restore_dtypes(con.execute("SELECT * FROM t ORDER BY source_line").df())
    finally:
        con.close()


ID_A, ID_B, ID_C = "a" * 16, "b" * 16, "c" * 16


# -- one program ----------------------------------------------------------------------------
def test_round_trip_gives_the_frames_the_duckdb_workspace_gave(tmp_path):
    ws = Workspace(tmp_path)
    save(ws, ID_A, 1, name="Spring orders")
    clean, quarantine = frames(1)
    pd.testing.assert_frame_equal(ws.load_clean(ID_A), as_duckdb_workspace_gave(clean))
    pd.testing.assert_frame_equal(ws.load_quarantine(ID_A), as_duckdb_workspace_gave(quarantine))
    loaded = ws.load_clean(ID_A)
    # the dtypes an analyst's code meets, spelled out (the reference above could drift with DuckDB)
    assert str(loaded["customer_id"].dtype) == "str" and str(loaded["category"].dtype) == "string"
    assert str(loaded["maybe_items"].dtype) == "Int64" and str(loaded["maybe_flag"].dtype) == "boolean"
    assert str(loaded["timestamp"].dtype) == "datetime64[ns]" and loaded["source_line"].is_monotonic_increasing

    info = ws.dataset(ID_A)
    assert (info["name"], info["kind"], info["source_name"], info["size_bytes"]) == ("Spring orders", "orders",
                                                                                     "f1.csv", 1001)
    assert info["rows_clean"] == 60 and info["mapping"] == {"customer_id": "Customer"}
    assert info["report"]["reading"] == {"encoding": "utf-8"} and isinstance(info["created_at"], pd.Timestamp)
    listed = ws.list_datasets()
    assert list(listed["dataset_id"]) == [ID_A]
    assert str(listed["created_at"].dtype) == "datetime64[us]" and listed["rows_clean"].dtype == "int64"
    assert ws.has_dataset(ID_A) and not ws.has_dataset(ID_B) and not ws.has_dataset("../etc/passwd")


def test_the_same_id_saved_twice_is_listed_once_with_the_latest_name(tmp_path):
    ws = Workspace(tmp_path)
    save(ws, ID_A, 1, name="first")
    save(ws, ID_B, 2)
    save(ws, ID_A, 1, name="second")
    listed = ws.list_datasets()
    assert sorted(listed["dataset_id"]) == [ID_A, ID_B]
    assert list(listed["dataset_id"]) == [ID_A, ID_B]  # newest first: saving again refreshes it
    assert ws.dataset(ID_A)["name"] == "second"
    assert sorted(os.listdir(tmp_path / "datasets")) == [ID_A, ID_B]  # no temporary folder left behind


def test_rename_and_delete(tmp_path):
    ws = Workspace(tmp_path)
    save(ws, ID_A, 1)
    save(ws, ID_B, 2)
    ws.rename_dataset(ID_A, "  Autumn orders  ")
    assert ws.dataset(ID_A)["name"] == "Autumn orders"
    assert dict(zip(ws.list_datasets()["dataset_id"], ws.list_datasets()["name"]))[ID_A] == "Autumn orders"
    with pytest.raises(InputError, match="needs a name"):
        ws.rename_dataset(ID_A, "   ")

    ws.delete_dataset(ID_A)
    assert not ws.has_dataset(ID_A) and list(ws.list_datasets()["dataset_id"]) == [ID_B]
    with pytest.raises(NotFoundError, match="may have been deleted"):
        ws.load_clean(ID_A)
    with pytest.raises(NotFoundError, match="may have been deleted"):
        ws.dataset(ID_A)
    with pytest.raises(NotFoundError, match="may have been deleted"):
        ws.rename_dataset(ID_A, "gone")
    ws.delete_dataset(ID_A)  # deleting twice is not an error
    assert sorted(os.listdir(tmp_path / "datasets")) == [ID_B]
    ws.delete_dataset(ID_B)
    assert ws.list_datasets().empty and list(ws.list_datasets().columns)[:2] == ["dataset_id", "name"]


def test_a_reader_sees_the_old_state_while_a_writer_is_between_writing_and_publishing(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    save(ws, ID_A, 1, name="old")
    arrived = [threading.Event(), threading.Event()]  # one per save: its files are written
    go_on = [threading.Event(), threading.Event()]
    publish = Workspace._publish
    calls = []

    def paused(self, tmp, dataset_id):
        n = len(calls)
        calls.append(dataset_id)
        arrived[n].set()
        assert go_on[n].wait(30)
        publish(self, tmp, dataset_id)

    monkeypatch.setattr(Workspace, "_publish", paused)
    errors: list[BaseException] = []

    def write():
        try:
            save(Workspace(tmp_path), ID_B, 2)  # a new dataset
            save(Workspace(tmp_path), ID_A, 3, name="new")  # the same id again: its files replaced in place
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    reader = Workspace(tmp_path)
    old_rows = as_duckdb_workspace_gave(frames(1)[0])
    for n in (0, 1):
        assert arrived[n].wait(30)
        assert any(p.name.startswith(".tmp-") for p in (tmp_path / "datasets").iterdir())  # files written ...
        assert list(reader.list_datasets()["dataset_id"]) == ([ID_A] if n == 0 else [ID_B, ID_A])  # ... not listed
        assert reader.has_dataset(ID_B) == (n == 1)
        if n == 0:
            with pytest.raises(NotFoundError):
                reader.load_clean(ID_B)
        assert reader.dataset(ID_A)["name"] == "old"
        pd.testing.assert_frame_equal(reader.load_clean(ID_A), old_rows)
        go_on[n].set()
    writer.join(60)
    assert not errors, errors
    assert calls == [ID_B, ID_A]
    assert sorted(reader.list_datasets()["dataset_id"]) == [ID_A, ID_B]
    assert reader.dataset(ID_A)["name"] == "new"
    pd.testing.assert_frame_equal(reader.load_clean(ID_A), as_duckdb_workspace_gave(frames(3)[0]))


def test_a_writer_waits_for_the_lock_and_says_so_then_refuses_with_a_sentence(tmp_path, monkeypatch):
    home = tmp_path
    save(Workspace(home), ID_A, 1)
    said: list[str] = []
    holder = Workspace(home)

    # another program holds the lock for 0.4 s: the rename waits, says so once, then succeeds
    def hold(seconds: float, ready: threading.Event):
        with holder.lock():
            ready.set()
            time.sleep(seconds)

    ready = threading.Event()
    thread = threading.Thread(target=hold, args=(0.4, ready))
    thread.start()
    assert ready.wait(10)
    started = time.monotonic()
    Workspace(home, on_wait=said.append).rename_dataset(ID_A, "renamed")
    assert time.monotonic() - started >= 0.2
    thread.join()
    assert said == [WAITING_MESSAGE.format(home=home)] and said[0].startswith(
        "Waiting for another program that is writing to the workspace")
    assert Workspace(home).dataset(ID_A)["name"] == "renamed"

    # held longer than the timeout (from ECOM_ANALYTICS_LOCK_TIMEOUT): a sentence, nothing changed
    monkeypatch.setenv("ECOM_ANALYTICS_LOCK_TIMEOUT", "0.3")
    ready = threading.Event()
    thread = threading.Thread(target=hold, args=(1.5, ready))
    thread.start()
    assert ready.wait(10)
    with pytest.raises(InputError, match=r"Another program has been writing to the workspace .* for more than "
                                         r"0\.3 seconds, so this change was not saved\. .*ECOM_ANALYTICS_LOCK_TIMEOUT"):
        Workspace(home, on_wait=said.append).delete_dataset(ID_A)
    with pytest.raises(InputError, match="not saved"):
        save(Workspace(home, on_wait=said.append), ID_B, 2)
    # readers take no lock: they work while it is held
    assert Workspace(home).has_dataset(ID_A) and len(Workspace(home).load_clean(ID_A)) == 60
    thread.join()
    assert sorted(os.listdir(home / "datasets")) == [ID_A]  # the refused save left no folder behind

    monkeypatch.setenv("ECOM_ANALYTICS_LOCK_TIMEOUT", "soon")
    with pytest.raises(InputError, match="must be a number of seconds"):
        Workspace(home).rename_dataset(ID_A, "x")


# -- several programs -----------------------------------------------------------------------
def _writer(home: str, jobs: list[tuple[str, int]], out) -> None:
    failures, salts = [], set()
    for dataset_id, seed in jobs:
        try:
            ws = Workspace(home)
            salts.add(ws.salt())
            save(ws, dataset_id, seed)
        except BaseException as exc:  # noqa: BLE001 - counted by the test
            failures.append(f"{type(exc).__name__}: {exc}")
    out.put(("writer", failures, sorted(salts)))


def _reader(home: str, stop, out) -> None:
    failures, rounds, seen = [], 0, set()
    ws = Workspace(home)
    while not stop.is_set() or rounds < 2:
        rounds += 1
        try:
            listed = ws.list_datasets()
            ids = list(listed["dataset_id"]) if not listed.empty else []
            if len(ids) != len(set(ids)):
                failures.append(f"listed twice: {ids}")
            for dataset_id in ids:
                if len(ws.load_clean(dataset_id)) != 60 or ws.dataset(dataset_id)["rows_clean"] != 60:
                    failures.append(f"{dataset_id} incomplete")
                ws.load_quarantine(dataset_id)
                seen.add(dataset_id)
        except BaseException as exc:  # noqa: BLE001 - counted by the test
            failures.append(f"{type(exc).__name__}: {exc}")
    out.put(("reader", failures, rounds, sorted(seen)))


@pytest.mark.slow
def test_several_programs_saving_at_once_with_a_reader_lose_nothing_and_list_each_dataset_once(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    out, stop = ctx.Queue(), ctx.Event()
    ids = [f"{i:016x}" for i in range(1, 7)]
    # four writers: each saves two datasets of its own and two that another writer also saves
    jobs = [[(ids[0], 1), (ids[4], 5), (ids[5], 6), (ids[1], 2)],
            [(ids[1], 2), (ids[4], 5), (ids[5], 6), (ids[0], 1)],
            [(ids[2], 3), (ids[5], 6), (ids[4], 5), (ids[3], 4)],
            [(ids[3], 4), (ids[5], 6), (ids[4], 5), (ids[2], 3)]]
    reader = ctx.Process(target=_reader, args=(str(tmp_path), stop, out))
    reader.start()
    writers = [ctx.Process(target=_writer, args=(str(tmp_path), j, out)) for j in jobs]
    for w in writers:
        w.start()
    results = [out.get(timeout=180) for _ in writers]
    stop.set()
    results.append(out.get(timeout=180))
    for p in [*writers, reader]:
        p.join(30)
        assert p.exitcode == 0
    failures = [f for r in results for f in r[1]]
    assert failures == []
    salts = {s for r in results if r[0] == "writer" for s in r[2]}
    assert len(salts) == 1  # programs that started on an empty workspace agree on one salt
    listed = Workspace(tmp_path).list_datasets()
    assert sorted(listed["dataset_id"]) == ids  # every dataset, each once
    assert sorted(os.listdir(tmp_path / "datasets")) == ids  # nothing temporary or half-deleted left
    reader_rounds = next(r[2] for r in results if r[0] == "reader")
    assert reader_rounds >= 2


# -- the single-file workspace of earlier versions ----------------------------------------------
def build_old_workspace(home: Path) -> dict[str, dict]:
    """A workspace.duckdb as the earlier store wrote it: two datasets; returns what it served."""
    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / "workspace.duckdb"))
    served = {}
    for dataset_id, seed, when in ((ID_A, 1, "2025-03-01 10:00:00.123456"), (ID_B, 2, "2025-04-01 09:30:00")):
        clean, quarantine = frames(seed)
        con.execute(OLD_CATALOGUE)
        con.register("clean_frame", clean)
        con.register("quarantine_frame", quarantine)
        con.execute(f'CREATE TABLE "clean_{dataset_id}" AS SELECT * FROM clean_frame')
        con.execute(f'CREATE TABLE "quarantine_{dataset_id}" AS SELECT * FROM quarantine_frame')
        counts = report(clean, quarantine)["cleaning"]
        con.execute("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [dataset_id, f"old {seed}", "orders", f"f{seed}.csv", pd.Timestamp(when).to_pydatetime(), 1000 + seed,
                     counts["rows_in"], counts["rows_clean"], counts["rows_quarantined"], counts["revenue_in"],
                     counts["revenue_clean"], json.dumps({"customer_id": "Customer"}),
                     json.dumps(report(clean, quarantine))])
        served[dataset_id] = {
            "clean": _restore_dtypes(con.execute(f'SELECT * FROM "clean_{dataset_id}" ORDER BY source_line').df()),
            "quarantine": _restore_dtypes(
                con.execute(f'SELECT * FROM "quarantine_{dataset_id}" ORDER BY source_line').df()),
            "created_at": pd.Timestamp(when)}
    served["list"] = con.execute("""SELECT dataset_id, name, kind, source_name, created_at, size_bytes, rows_in,
        rows_clean, rows_quarantined, revenue_in, revenue_clean FROM datasets ORDER BY created_at DESC""").df()
    con.close()
    return served


def test_an_old_duckdb_workspace_is_moved_over_on_first_use_with_nothing_lost(tmp_path):
    served = build_old_workspace(tmp_path)
    (tmp_path / "salt").write_text("oldsalt")
    ws = Workspace(tmp_path)
    pd.testing.assert_frame_equal(ws.list_datasets(), served["list"])
    for dataset_id in (ID_A, ID_B):
        pd.testing.assert_frame_equal(ws.load_clean(dataset_id), served[dataset_id]["clean"])
        pd.testing.assert_frame_equal(ws.load_quarantine(dataset_id), served[dataset_id]["quarantine"])
        info = ws.dataset(dataset_id)
        assert info["created_at"] == served[dataset_id]["created_at"]
        assert info["mapping"] == {"customer_id": "Customer"} and info["report"]["reading"] == {"encoding": "utf-8"}
    assert ws.salt() == "oldsalt"
    assert not (tmp_path / "workspace.duckdb").exists()
    kept = tmp_path / "workspace.duckdb.migrated"
    assert kept.exists()  # the old file is kept, renamed, and still opens
    check = duckdb.connect(str(kept), read_only=True)
    assert check.execute("SELECT count(*) FROM datasets").fetchone()[0] == 2
    check.close()
    # the moved datasets behave like any other
    ws.rename_dataset(ID_A, "renamed")
    ws.delete_dataset(ID_B)
    assert list(Workspace(tmp_path).list_datasets()["name"]) == ["renamed"]


def test_moving_an_old_workspace_keeps_datasets_already_in_the_new_layout(tmp_path):
    build_old_workspace(tmp_path / "old")
    home = tmp_path / "ws"
    save(Workspace(home), ID_A, 1, name="newer")  # on a fresh home: nothing to move yet
    os.replace(tmp_path / "old" / "workspace.duckdb", home / "workspace.duckdb")
    ws = Workspace(home)
    assert sorted(ws.list_datasets()["dataset_id"]) == [ID_A, ID_B]
    assert ws.dataset(ID_A)["name"] == "newer" and ws.dataset(ID_B)["name"] == "old 2"


def test_an_old_workspace_held_by_an_old_program_gives_a_sentence_then_moves_when_it_closes(tmp_path):
    build_old_workspace(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
                               "time.sleep(120)", str(tmp_path / "workspace.duckdb")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(InputError, match=r"is open in another program \(an older app or CLI run\), so its "
                                             r"datasets cannot be moved to the new layout yet"):
            Workspace(tmp_path).has_dataset(ID_A)
        assert (tmp_path / "workspace.duckdb").exists() and not (tmp_path / "datasets" / ID_A).exists()
    finally:
        holder.kill()
        holder.wait()
    assert Workspace(tmp_path).has_dataset(ID_A)


@pytest.mark.usefixtures("router_mode")
def test_a_link_opened_while_the_workspace_cannot_be_read_shows_a_sentence_not_an_error_box(tmp_path, monkeypatch):
    """The issue's path: /overview?orders=<id> while another program holds the workspace."""
    from streamlit.testing.v1 import AppTest

    build_old_workspace(tmp_path)
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
                               "time.sleep(120)", str(tmp_path / "workspace.duckdb")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["orders"] = ID_A
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("The data in this link cannot be opened right now" in w.value and "is open in another program"
                   in w.value for w in at.warning), [w.value for w in at.warning]
    finally:
        holder.kill()
        holder.wait()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["orders"] = ID_A
    at.run()
    assert not at.exception and at.session_state["orders_id"] == ID_A


def test_trained_runs_being_written_or_deleted_are_not_listed(tmp_path):
    """Runs use the same folders: one being written (.tmp-) or deleted (.del-) is not listed."""
    from ecom_analytics.predict.registry import delete_run, list_runs

    ws = Workspace(tmp_path)
    for name in (f".tmp-{ID_A}-1-ab", f".del-{ID_B}-cd"):
        (tmp_path / "models" / name).mkdir(parents=True)
        (tmp_path / "models" / name / "meta.json").write_text("{\"run_id\": ")  # half written
    assert list_runs(ws).empty
    run = tmp_path / "models" / ID_C
    run.mkdir()
    (run / "meta.json").write_text(json.dumps({"run_id": ID_C, "task": "purchase", "horizon_days": 30, "created": "x",
                                               "best_model": "logistic", "leaderboard": [], "datasets": {}}))
    assert list(list_runs(ws)["run_id"]) == [ID_C]
    delete_run(ws, ID_C)
    assert list_runs(ws).empty and not run.exists()
