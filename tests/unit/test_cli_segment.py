"""``python -m ecom_analytics segment`` (issue #21: audiences refreshed from the command line, e.g.
by cron), ``ingest --timezone`` and ``--ad-platform-hashes``, and their bad arguments."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from ecom_analytics.cli import main
from ecom_analytics.insights.segment_builder import save_segment

# customers a (3 orders, 30.00, last 03-20), b (2 orders, 9.00, last 03-01), c (1 order, 8.00, 02-15);
# as of 03-21 their recencies are about 0.6, 19.4 and 34 days
ORDERS = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,Email,Country\n"
          "1,A,Apple,2,2024-01-05 10:00,5.00,a@x.org,UK\n"
          "2,B,Bread,1,2024-01-20 11:00,3.00,b@x.org,France\n"
          "3,A,Apple,1,2024-02-10 09:00,5.00,a@x.org,UK\n"
          "4,C,Cake,2,2024-02-15 12:00,4.00,c@x.org,Germany\n"
          "5,B,Bread,2,2024-03-01 15:00,3.00,b@x.org,France\n"
          "6,A,Apple,3,2024-03-20 10:00,5.00,a@x.org,UK\n")


def test_a_rule_writes_the_segment_and_its_google_ads_list(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out, listed, summary = tmp_path / "seg.csv", tmp_path / "google.csv", tmp_path / "seg.json"
    code = main(["segment", "--orders", str(orders), "--rule", "orders >= 2", "--out", str(out),
                 "--platform", "google_ads", "--platform-out", str(listed), "--json", str(summary)])
    assert code == 0
    assert len(pd.read_csv(out)) == 2  # a and b
    assert set(pd.read_csv(listed)["Email"]) == {hashlib.sha256(b"a@x.org").hexdigest(),
                                                 hashlib.sha256(b"b@x.org").hexdigest()}
    size = json.loads(summary.read_text())
    assert size["customers"] == 2 and size["revenue"] == 39.0 and size["as_of"] == "2024-03-21"
    assert "2 customers (66.7%), revenue so far 39.00" in capsys.readouterr().out


def test_a_saved_segment_is_refreshed_by_name(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    save_segment(home, "Lapsing", "recency_days >= 15", "any", 0)
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out = tmp_path / "lapsing.csv"
    assert main(["segment", "--orders", str(orders), "--saved", "Lapsing", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 2  # b and c


def test_bad_arguments_get_one_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    assert main(["segment", "--orders", str(orders), "--rule", "orders >= 2", "--platform", "meta"]) == 2
    assert "--platform and --platform-out go together" in capsys.readouterr().err
    assert main(["segment", "--orders", str(orders), "--rule", "order >= 2"]) == 2
    assert "Did you mean orders" in capsys.readouterr().err
    assert main(["segment", "--orders", str(orders), "--saved", "Nope"]) == 2
    assert "No segment named 'Nope'" in capsys.readouterr().err
    assert main(["ingest", str(orders), "--timezone", "Mars/Base"]) == 2
    assert "is not a time zone" in capsys.readouterr().err


def test_ingest_with_a_time_zone_and_ad_platform_digests(tmp_path, monkeypatch):
    from ecom_analytics.store import Workspace

    home = tmp_path / "home"
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out = tmp_path / "ingest.json"
    assert main(["ingest", str(orders), "--home", str(home), "--ad-platform-hashes", "--timezone", "Asia/Shanghai",
                 "--json", str(out)]) == 0
    dataset_id = json.loads(out.read_text())["dataset_id"]
    clean = Workspace(home).load_clean(dataset_id)
    assert clean["email_sha256"].notna().all()
    assert str(clean["timestamp"].min()) == "2024-01-05 10:00:00"  # times without a zone are kept as written
