"""E-mail digests for ad platforms (issue #21): only on request, never the addresses, in the
layouts Google Ads Customer Match and Meta custom audiences import."""

import hashlib

import pandas as pd

from ecom_analytics.ingest import pipeline
from ecom_analytics.ingest.privacy import ad_platform_hashes
from ecom_analytics.insights.segment_builder import ad_platform_list, email_digests

ORDERS = ("Order,Date,Email,Product,Qty,Price\n"
          "1,2024-01-05,Ann.Lee@Gmail.com ,A,2,5.00\n"
          "2,2024-01-06,bob@example.org,B,1,3.50\n"
          "3,2024-01-07,ann.lee@gmail.com,B,1,3.50\n").encode()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_digests_are_normalised_as_each_platform_asks():
    out = ad_platform_hashes(pd.Series([" Ann.Lee@Gmail.com", "bob@example.org", "not an e-mail", None]))
    assert out["email_sha256"].tolist()[:2] == [sha("ann.lee@gmail.com"), sha("bob@example.org")]
    assert out["email_sha256_google"].tolist()[:2] == [sha("annlee@gmail.com"), sha("bob@example.org")]
    assert out.iloc[2:].isna().all().all()


def test_kept_only_on_request_and_never_the_address(tmp_path):
    from ecom_analytics.store import Workspace

    plain = pipeline.ingest(ORDERS, "shop.csv", kind="orders", workspace=Workspace(tmp_path))
    assert "email_sha256" not in plain.cleaning.clean.columns
    kept = pipeline.ingest(ORDERS, "shop.csv", kind="orders", workspace=Workspace(tmp_path), ad_platform_hashes=True)
    assert kept.dataset_id != plain.dataset_id
    clean = Workspace(tmp_path).load_clean(kept.dataset_id)
    assert not clean.astype("string").apply(lambda c: c.str.contains("@", regex=False)).any().any()
    digests = email_digests(clean)
    assert len(digests) == 2  # Ann (two orders, one customer) and Bob
    google = ad_platform_list(digests, digests.index, "google_ads")
    meta = ad_platform_list(digests, digests.index, "meta")
    assert list(google.columns) == ["Email"] and list(meta.columns) == ["email"]
    assert set(google["Email"]) == {sha("annlee@gmail.com"), sha("bob@example.org")}
    assert set(meta["email"]) == {sha("ann.lee@gmail.com"), sha("bob@example.org")}


def test_no_email_column_says_so():
    data = b"Order,Date,Customer,Qty,Price\n1,2024-01-05,c1,2,5.00\n"
    result = pipeline.process(pipeline.prepare(data, "x.csv", kind="orders"), ad_platform_hashes=True)
    assert "email_sha256" not in result.cleaning.clean.columns
    assert any("No e-mail column was found" in n for n in result.report["notes"])
