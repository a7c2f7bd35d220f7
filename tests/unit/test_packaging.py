"""The installable package (pyproject.toml) and the lint configuration.

``pip install .`` must give the ``ecom-analytics`` command, the translation catalogues and the
sample files as package data (read with importlib.resources, so they are found outside the
repository), and the dependencies pinned in requirements.txt; ``ruff check .`` must pass.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_the_package_takes_its_dependencies_from_requirements_txt():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "ecom-analytics"
    assert project["project"]["requires-python"] == ">=3.11"
    assert project["project"]["dynamic"] == ["dependencies"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert project["project"]["scripts"] == {"ecom-analytics": "ecom_analytics.__main__:console"}
    pins = _requirements()
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", p) for p in pins), pins


def test_ruff_passes():
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is in requirements-dev.txt")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the working tree (pip wheel ., no dependencies; the copy keeps
    setuptools' build/ and egg-info folders out of the repository)."""
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "ecom-analytics"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "workspace", "artifacts", "build", "dist",
                                                                 "*.egg-info", "__pycache__", ".pytest_cache",
                                                                 ".ruff_cache"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = out.glob("ecom_analytics-*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_holds_the_catalogues_the_samples_the_command_and_the_pins(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(info).decode("utf-8")
        entry_points = zf.read(info.replace("METADATA", "entry_points.txt")).decode("utf-8")
    catalogues = {p.relative_to(ROOT).as_posix()
                  for p in (ROOT / "ecom_analytics" / "i18n" / "locales").glob("*/LC_MESSAGES/*.po")}
    assert "ecom_analytics/i18n/locales/zh/LC_MESSAGES/messages.po" in catalogues
    assert catalogues <= names
    for name in ("online_retail_sample.csv.gz", "events_sample.csv.gz", "campaign_sample.csv.gz", "README.md"):
        assert f"ecom_analytics/sample_data/{name}" in names
    assert "ecom_analytics/ui/__init__.py" in names and "ecom_analytics/forecasting/__init__.py" in names
    assert not any(n.startswith(("tests/", "pages/", "benchmarks/")) for n in names)
    assert "ecom-analytics = ecom_analytics.__main__:console" in entry_points
    required = sorted(line.split(":", 1)[1].strip() for line in metadata.splitlines()
                      if line.startswith("Requires-Dist:") and "extra ==" not in line)
    assert required == sorted(_requirements())
    # the optional Spark engine is an extra, with the pin the tests run on (requirements-dev.txt)
    extras = [line.split(":", 1)[1].strip() for line in metadata.splitlines()
              if line.startswith("Requires-Dist:") and "extra ==" in line]
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert extras == ['pyspark==4.0.5; extra == "spark"'] and "pyspark==4.0.5" in dev


@pytest.mark.slow
def test_the_installed_command_and_samples_work_outside_the_repository(wheel, tmp_path):
    """The wheel installed into a folder of its own (``pip install --target``; the dependencies are
    this environment's): ``ecom-analytics --help`` runs and the sample files and catalogues are read
    from the installed package, in a folder outside the repository."""
    target = tmp_path / "installed"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    clean_env = {"PATH": f"{target / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(target),
                 "ECOM_ANALYTICS_HOME": str(tmp_path / "ws")}
    helped = subprocess.run([str(target / "bin" / "ecom-analytics"), "--help"], cwd=outside, env=clean_env,
                            capture_output=True, text=True, timeout=300)
    assert helped.returncode == 0, helped.stderr[-2000:]
    assert helped.stdout.startswith("usage: ecom-analytics ")
    for command in ("ingest", "predict", "forecast", "recommend", "campaign"):
        assert command in helped.stdout
    script = ("import gzip, ecom_analytics.sample as s\n"
              "print(s.SAMPLE_ORDERS)\n"
              "print(gzip.decompress(s.sample_file('online_retail_sample.csv.gz').read_bytes()).count(b'\\n'))\n"
              "from ecom_analytics.campaign import sample_path\n"
              "print(sample_path().stat().st_size)\n"
              "from ecom_analytics.i18n import catalogue\n"
              "print(len(catalogue('zh')))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=outside, env=clean_env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    where, lines, campaign_bytes, entries = done.stdout.split()
    assert Path(where).resolve().is_relative_to(target.resolve())  # the installed copy, not the repository's
    assert int(lines) == 154_145  # 154,144 order lines and the header (sample_data/README.md)
    assert int(campaign_bytes) == (ROOT / "ecom_analytics" / "sample_data" / "campaign_sample.csv.gz").stat().st_size
    assert int(entries) > 1000
