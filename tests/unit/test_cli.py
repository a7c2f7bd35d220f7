"""Command line (ecom_analytics.cli): ``python -m ecom_analytics ingest FILE --json OUT``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecom_analytics.cli import main
from ecom_analytics.store import Workspace
from tests import fixtures as F

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"kind", "dataset_id", "mapping", "rows_in", "rows_clean", "quarantine", "revenue_in", "revenue_clean"}


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ingest(tmp_path, path, *extra) -> tuple[int, dict | None]:
    out = tmp_path / f"{path.name}.json"
    code = main(["ingest", str(path), "--json", str(out), "--home", str(tmp_path / "home"), *extra])
    return code, json.loads(out.read_text(encoding="utf-8")) if out.exists() else None


def test_ingest_writes_the_summary_json(tmp_path, capsys):
    path = write(tmp_path, "online_retail.csv", F.online_retail_csv())
    code, summary = ingest(tmp_path, path)
    assert code == 0
    assert KEYS <= set(summary)
    assert summary["kind"] == "orders"
    assert len(summary["dataset_id"]) == 16 and int(summary["dataset_id"], 16) >= 0
    assert summary["mapping"]["customer_id"] == "CustomerID" and summary["mapping"]["order_id"] == "InvoiceNo"
    assert (summary["rows_in"], summary["rows_clean"]) == (10, 8)
    assert summary["quarantine"]["cancellation"] == 1 and summary["quarantine"]["missing_customer"] == 1
    assert sum(summary["quarantine"].values()) == 2
    assert summary["revenue_in"] == pytest.approx(211.25)
    assert summary["revenue_clean"] == pytest.approx(236.24)
    # one line on stdout naming the id and the output
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and summary["dataset_id"] in out[0] and str(tmp_path) in out[0]
    # stored in the workspace named by --home, nowhere else
    assert Workspace(tmp_path / "home").has_dataset(summary["dataset_id"])


def test_without_json_the_summary_goes_to_stdout(tmp_path, capsys):
    path = write(tmp_path, "events.csv", F.retailrocket_events_csv())
    assert main(["ingest", str(path), "--home", str(tmp_path / "home")]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kind"] == "events" and summary["rows_in"] == 8


def test_same_file_twice_is_one_dataset(tmp_path):
    path = write(tmp_path, "online_retail.csv", F.online_retail_csv())
    _, first = ingest(tmp_path, path)
    _, second = ingest(tmp_path, path)
    assert first["dataset_id"] == second["dataset_id"]
    other = write(tmp_path, "latin1.csv", F.latin1_orders_csv())
    _, third = ingest(tmp_path, other)
    assert third["dataset_id"] != first["dataset_id"]
    assert len(Workspace(tmp_path / "home").list_datasets()) == 2


def test_kind_and_outlier_policy_options(tmp_path):
    path = write(tmp_path, "cleaning.csv", F.cleaning_orders_csv())
    _, flag = ingest(tmp_path, path)
    _, quarantine = ingest(tmp_path, path, "--outlier-policy", "quarantine")
    assert flag["quarantine"]["outlier"] == 0 and quarantine["quarantine"]["outlier"] == 1
    assert flag["dataset_id"] != quarantine["dataset_id"]
    tianchi = write(tmp_path, "UserBehavior.csv", F.tianchi_userbehavior_csv())
    code, events = ingest(tmp_path, tianchi, "--kind", "events")
    assert code == 0 and events["kind"] == "events" and events["rows_clean"] == 12


def test_shopify_json_has_no_raw_email(tmp_path):
    path = write(tmp_path, "orders_export.csv", F.shopify_orders_csv())
    code, summary = ingest(tmp_path, path)
    assert code == 0 and summary["mapping"]["customer_id"] == "Email"
    text = json.dumps(summary)
    assert not any(email.split("@")[0].lower() in text.lower() for email in F.SHOPIFY_EMAILS)


@pytest.mark.parametrize("name, data, words", [
    ("empty.csv", b"", "is empty"),
    ("photo.csv", F.png_bytes(), "PNG image"),
    ("blob.csv", F.binary_bytes(), "binary"),
    ("weather.csv", F.two_column_csv(), "No column was recognised"),
    ("lines.csv", F.no_customer_csv(), "customer_id"),
    ("orders.csv.gz", F.gzip_bytes(F.online_retail_csv())[:60], "cannot be decompressed"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, name, data, words):
    path = write(tmp_path, name, data)
    code, summary = ingest(tmp_path, path)
    assert code == 2 and summary is None
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: ") and words in err[0]


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope.csv"), "--home", str(tmp_path / "home")]) == 2
    assert "No file at" in capsys.readouterr().err


def run_module(*args, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "ecom_analytics", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_python_m_ecom_analytics_ingest(tmp_path):
    path = write(tmp_path, "online_retail.csv.gz", F.gzip_bytes(F.online_retail_csv()))
    out = tmp_path / "summary.json"
    done = run_module("ingest", str(path), "--json", str(out), "--home", str(tmp_path / "home"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert KEYS <= set(summary)
    assert (summary["kind"], summary["rows_in"], summary["rows_clean"]) == ("orders", 10, 8)
    assert not (tmp_path / "workspace").exists()  # --home was used, not ./workspace


def test_python_m_ecom_analytics_bad_input(tmp_path):
    path = write(tmp_path, "photo.csv", F.png_bytes())
    done = run_module("ingest", str(path), "--home", str(tmp_path / "home"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "PNG image" in lines[0]


def test_json_into_a_missing_folder_exits_2_with_one_line(tmp_path, capsys):
    path = write(tmp_path, "online_retail.csv", F.online_retail_csv())
    out = tmp_path / "no" / "such" / "folder" / "summary.json"
    assert main(["ingest", str(path), "--json", str(out), "--home", str(tmp_path / "home")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Cannot write" in err[0] and "summary.json" in err[0]


def test_segments_csv_has_salted_pseudonyms_matching_the_workspace(tmp_path, monkeypatch, capsys):
    import hashlib

    import pandas as pd

    from ecom_analytics.ingest.privacy import pseudonymise

    home = tmp_path / "home"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    path = write(tmp_path, "orders_export.csv", F.shopify_orders_csv())
    out = tmp_path / "segments.csv"
    assert main(["segments", "--orders", str(path), "--out", str(out)]) == 0
    ids = set(pd.read_csv(out)["customer_id"])
    anna = F.SHOPIFY_EMAILS[0]
    unsalted = "c_" + hashlib.sha256(anna.encode()).hexdigest()[:16]
    assert unsalted not in ids  # anyone holding the address could recompute an unsalted hash
    salted = pseudonymise(pd.Series([anna]), Workspace(home).salt()).iloc[0]
    assert salted in ids  # the same pseudonym as ingested data in this workspace


def test_an_unwritable_output_exits_2_with_the_reason(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    path = write(tmp_path, "orders_export.csv", F.shopify_orders_csv())
    out = tmp_path / "no_such_folder" / "segments.csv"
    assert main(["segments", "--orders", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"Cannot write {out}" in err and "Traceback" not in err


def test_segments_take_the_cutoff_by_its_one_name_and_still_by_its_former_one(tmp_path, monkeypatch, capsys):
    import pandas as pd

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    path = write(tmp_path, "orders_export.csv", F.shopify_orders_csv())
    first = pd.read_csv(path)
    day = pd.to_datetime(first.iloc[:, [c for c, name in enumerate(first.columns) if "Created" in name][0]],
                         utc=True).max().strftime("%Y-%m-%d")  # the last order's day: the orders of that day are out
    outs = {}
    for option in ("--cutoff", "--as-of"):
        outs[option] = tmp_path / f"segments{option}.csv"
        assert main(["segments", "--orders", str(path), option, day, "--out", str(outs[option])]) == 0
        assert f"as of {day}" in capsys.readouterr().out
    pd.testing.assert_frame_equal(pd.read_csv(outs["--cutoff"]), pd.read_csv(outs["--as-of"]))
