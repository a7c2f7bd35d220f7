"""Every bad argument of ``python -m ecom_analytics`` is one sentence on stderr and exit status 2,
found before any work starts (issue 14, part 7), and TensorFlow's C++ log lines stay off the
terminal.

"Before any work" is shown, not timed: the functions that read data or train are replaced by
ones that fail the test if they are called. A few cases also run as a real process, where a
traceback or a log line would show.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ecom_analytics.cli as cli
from ecom_analytics.cli import main
from tests.fixtures import online_retail_export as online_retail_csv, synthetic_orders

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def no_work(monkeypatch):
    """Reading, cleaning, ingesting and training fail the test if an argument check lets them start."""
    import ecom_analytics.cli.campaign as campaign_cli
    import ecom_analytics.cli.forecast as forecast_cli
    import ecom_analytics.ingest.pipeline as pipeline
    import ecom_analytics.predict.training as training

    def started(*args, **kwargs):
        raise AssertionError("work started before the arguments were checked")

    for module, name in ((pipeline, "clean_file"), (pipeline, "ingest"), (training, "train_and_evaluate"),
                         (forecast_cli, "read_for_forecast"), (campaign_cli, "read_campaign")):
        monkeypatch.setattr(module, name, started)


@pytest.fixture()
def files(tmp_path, monkeypatch):
    """Small existing input files (their content is never read in these tests) and a home."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    for name in ("orders.csv", "events.csv", "customers.csv", "campaign.csv"):
        (tmp_path / name).write_text("a,b\n1,2\n", encoding="utf-8")
    return tmp_path


def run(argv: list[str], capsys) -> str:
    """Run ``main(argv)``; assert exit 2 with one 'error: ...' line and nothing on stdout; the line."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert out == ""
    return lines[0]


def bad_cases(d: Path) -> list[tuple[list[str], str]]:
    o, e, c, k = str(d / "orders.csv"), str(d / "events.csv"), str(d / "customers.csv"), str(d / "campaign.csv")
    out = str(d / "out.csv")
    return [
        # dates
        (["segments", "--orders", o, "--cutoff", "notadate", "--out", out],
         "--cutoff 'notadate' is not a date; use YYYY-MM-DD (e.g. 2011-12-09)."),
        (["features", "--orders", o, "--cutoff", "2011-02-30", "--out", out], "--cutoff '2011-02-30' is not a date"),
        (["features", "--orders", o, "--cutoff", "09/12/2011", "--out", out], "--cutoff '09/12/2011' is not a date"),
        (["features", "--orders", o, "--cutoff", "", "--out", out], "--cutoff '' is not a date"),
        # output paths
        (["predict", "--orders", o, "--task", "purchase", "--horizon", "30", "--json", "/no/such/dir/p.json"],
         "Cannot write /no/such/dir/p.json (--json): the folder /no/such/dir does not exist. Create it or "
         "choose another path."),
        (["predict", "--orders", o, "--task", "purchase", "--horizon", "30", "--predictions", str(d)],
         f"--predictions {d} is a folder; give a file name inside it (e.g. {d / 'out.csv'})."),
        (["recommend", "--orders", o, "--horizon", "7", "--json", str(d)], f"(e.g. {d / 'summary.json'})"),
        (["segments", "--orders", o, "--out", str(d / "orders.csv" / "x.csv")], "is a file, not a folder"),
        (["features", "--orders", o, "--cutoff", "2011-01-01", "--out", o],
         f"--out {o} is the input file given as --orders; choose another name so the input is not overwritten."),
        (["predict", "--orders", o, "--task", "churn", "--horizon", "30", "--json", out, "--predictions", out],
         f"--json and --predictions both name {out}; give each its own file."),
        (["ingest", o, "--json", "/no/such/dir/summary.json"], "Cannot write /no/such/dir/summary.json (--json)"),
        (["forecast", o, "--horizon", "4", "--json", "/no/such/dir/f.json"], "the folder /no/such/dir does not exist"),
        (["campaign", k, "--json", "/no/such/dir/c.json"], "the folder /no/such/dir does not exist"),
        # input files
        (["segments", "--orders", str(d / "nope.csv"), "--out", out], f"No file at {d / 'nope.csv'} (--orders)."),
        (["features", "--orders", o, "--events", str(d / "nope.csv"), "--cutoff", "2011-01-01", "--out", out],
         "(--events)"),
        (["features", "--orders", o, "--customers", str(d / "nope.csv"), "--cutoff", "2011-01-01", "--out", out],
         "(--customers)"),
        (["ingest", str(d / "nope.csv")], "(FILE)"),
        (["ingest", str(d)], f"FILE {d} is a folder; give the file inside it."),
        (["campaign", k, "--orders", str(d / "nope.csv")], "(--orders)"),
        (["forecast", str(d / "nope.csv"), "--horizon", "4"], "(FILE)"),
        # numbers
        (["predict", "--orders", o, "--task", "purchase", "--horizon", "0"], "--horizon must be at least 1 (got 0)."),
        (["predict", "--orders", o, "--task", "revenue", "--horizon", "-30"], "--horizon must be at least 1 (got -30)."),
        (["predict", "--orders", o, "--task", "purchase", "--horizon", "30", "--seed", "-1"],
         "--seed must be at least 0 (got -1)."),
        (["recommend", "--orders", o, "--horizon", "7", "--k", "0"], "--k must be at least 1 (got 0)."),
        (["forecast", o, "--horizon", "0"], "--horizon must be at least 1"),
        (["forecast", o, "--horizon", "4", "--windows", "0"], "--windows must be at least 1 (got 0)."),
        (["forecast", o, "--horizon", "4", "--top", "0"], "--top must be at least 1 (got 0)."),
        (["campaign", k, "--orders", o, "--window", "0"], "--window must be at least 1 (got 0)."),
        # model names
        (["forecast", o, "--horizon", "4", "--models", "naive,prophet"],
         "Unknown model(s) prophet in --models; choose from naive, seasonal_naive, snaive_level, ets, theta, ets_theta, "
         "stl_ets, stl_theta, fourier, gbm, croston, sba, tsb, neural, auto."),
        (["forecast", o, "--horizon", "4", "--models", ","], "Unknown model(s) (none chosen) in --models"),
        (["recommend", "--orders", o, "--horizon", "7", "--models", "popularity,knn"], "Unknown model knn in --models"),
        (["campaign", k, "--models", "t_learner,forest"], "Unknown uplift model forest in --models"),
    ]


CASE_IDS = [f"{i:02d}-{argv[0]}" for i, (argv, _) in enumerate(bad_cases(Path("/x")))]


@pytest.mark.parametrize("case", range(len(CASE_IDS)), ids=CASE_IDS)
def test_a_bad_argument_is_one_sentence_before_any_work(case, files, no_work, capsys):
    argv, message = bad_cases(files)[case]
    before = sorted(p.name for p in files.iterdir())
    start = time.perf_counter()
    line = run(argv, capsys)
    assert message in line
    assert time.perf_counter() - start < 10  # loose: the functions doing the work are not even called
    assert sorted(p.name for p in files.iterdir()) == before  # no output written, nothing overwritten


def test_an_output_that_is_not_writable(files, no_work, capsys, monkeypatch):
    """(The tests run as root, for whom every folder is writable: os.access is asked instead.)"""
    out = files / "segments.csv"
    monkeypatch.setattr(cli.os, "access", lambda path, mode: Path(path) != files)
    line = run(["segments", "--orders", str(files / "orders.csv"), "--out", str(out)], capsys)
    assert line == f"error: Cannot write {out} (--out): the folder {files} is not writable. Choose another path."
    out.write_text("old", encoding="utf-8")
    monkeypatch.setattr(cli.os, "access", lambda path, mode: Path(path) != out)
    line = run(["segments", "--orders", str(files / "orders.csv"), "--out", str(out)], capsys)
    assert line == f"error: Cannot write {out} (--out): the file is not writable. Choose another path."


def test_good_arguments_pass_and_dates_become_days(files):
    args = cli.build_parser().parse_args(["features", "--orders", str(files / "orders.csv"), "--cutoff", "2011-12-09",
                                          "--out", str(files / "features.xlsx")])
    cli.check_arguments(args)
    assert str(args.cutoff) == "2011-12-09 00:00:00"
    args = cli.build_parser().parse_args(["recommend", "--orders", str(files / "orders.csv"), "--horizon", "7",
                                          "--models", "", "--out", "recs.csv"])  # no models = the default set
    cli.check_arguments(args)
    args = cli.build_parser().parse_args(["campaign", str(files / "campaign.csv"), "--models", ""])  # effects only
    cli.check_arguments(args)


@pytest.mark.parametrize("argv", [["predict", "--orders", "o.csv", "--task", "sales", "--horizon", "30"],
                                  ["predict", "--orders", "o.csv", "--task", "purchase", "--horizon", "x"],
                                  ["segments", "--out", "s.csv"]])
def test_argparse_usage_errors_still_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_a_library_message_over_several_lines_is_printed_on_one(files, capsys, monkeypatch):
    def fails(args):
        raise cli.InputError("The file has\nno orders.\n  Export it again.")

    monkeypatch.setattr(cli.segments, "cmd_segments", fails)
    line = run(["segments", "--orders", str(files / "orders.csv"), "--out", str(files / "s.csv")], capsys)
    assert line == "error: The file has no orders. Export it again."


# ------------------------------------------------------------------------------ as a real process

def _python(args: list[str], env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_as_a_process_a_bad_date_is_one_line_and_no_traceback(files):
    done = _python(["-m", "ecom_analytics", "segments", "--orders", str(files / "orders.csv"), "--cutoff", "notadate",
                    "--out", str(files / "s.csv")])
    assert done.returncode == 2
    assert done.stderr == "error: --cutoff 'notadate' is not a date; use YYYY-MM-DD (e.g. 2011-12-09).\n"
    assert done.stdout == ""


def test_the_native_log_filter_drops_only_native_log_lines():
    """Native code writes to file descriptor 2 directly; the filter drops its log lines and
    passes everything else, in order."""
    script = (
        "import os, sys\n"
        "from ecom_analytics.cli import native_logs_filtered\n"
        "with native_logs_filtered():\n"
        "    os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n')\n"
        "    os.write(2, b'I0000 00:00:1796591903.875225   11709 cudart_stub.cc:31] Could not find cuda drivers\\n')\n"
        "    print('- Training the neural model', file=sys.stderr)\n"
        "    os.write(2, b'E0000 00:00:1796591623.992237    5668 cuda_platform.cc:52] failed call to cuInit\\n')\n"
        "    os.write(2, b'W0512 10:11:12.123456  123 port.cc:153] oneDNN custom operations are on.\\n')\n"
        "    os.write(2, b'a native crash report stays\\n')\n"
        "    print('error: a sentence', file=sys.stderr)\n"
        "    os.write(2, b'no newline at the end')\n"
        "print('after', file=sys.stderr)\n"
    )
    done = _python(["-c", script])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("- Training the neural model\na native crash report stays\nerror: a sentence\n"
                           "no newline at the endafter\n")


@pytest.mark.keras
def test_predict_prints_no_tensorflow_log_lines(tmp_path):
    """The real ``python -m ecom_analytics predict`` (the neural model made tiny, as in
    test_cli_predict): the terminal shows the progress and the leaderboard, and no C++ log line
    of TensorFlow (E0000 / W0000 / I0000, absl's notice, oneDNN)."""
    orders = tmp_path / "orders.csv"
    orders.write_bytes(online_retail_csv(synthetic_orders(n_customers=150)))
    script = (
        "import runpy, sys\n"
        "import ecom_analytics.predict.training as training\n"
        "original = training.train_and_evaluate\n"
        "def tiny(*a, neural_params=None, **k):\n"
        "    return original(*a, neural_params={**(neural_params or {}), 'hidden': (8,), 'epochs': 2}, **k)\n"
        "training.train_and_evaluate = tiny\n"
        f"sys.argv = ['ecom_analytics', 'predict', '--orders', {str(orders)!r}, '--task', 'purchase',\n"
        f"            '--horizon', '30', '--predictions', {str(tmp_path / 'p.csv')!r}]\n"
        "runpy.run_module('ecom_analytics', run_name='__main__')\n"
    )
    env = {"ECOM_ANALYTICS_HOME": str(tmp_path / "ws")}
    env_without_tf_level = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**env_without_tf_level, **env})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "best: " in done.stdout and "Neural (Keras MLP)" in done.stdout
    assert "- Training the neural model" in done.stderr  # the CLI's own progress still shows
    noise = [line for line in done.stderr.splitlines()
             if cli.NATIVE_LOG_LINE.match(line.encode()) or "E0000" in line or "W0000" in line or "I0000" in line
             or "oneDNN" in line or "absl" in line or "cuda" in line.lower()]
    assert not noise, noise
    assert (tmp_path / "p.csv").is_file()


def test_a_message_written_just_before_the_filter_ends_is_never_lost():
    """The filter's reader waits 50 ms at a time: a line written as the block ends (the CLI's one-sentence error
    just before it exits) must still pass when that wait ends after the block did (a run printed only 'rc=2').
    The reader's first wait is made to end, empty, after the block has ended."""
    script = (
        "import os, select, sys, time\n"
        "import ecom_analytics.cli as cli\n"
        "real = select.select\n"
        "calls = []\n"
        "def late(r, w, x, timeout):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 1:\n"
        "        time.sleep(0.3)\n"
        "        return [], [], []\n"
        "    return real(r, w, x, timeout)\n"
        "cli.select.select = late\n"
        "with cli.native_logs_filtered():\n"
        "    os.write(2, b'error: a sentence\\n')\n"
    )
    done = _python(["-c", script])
    assert done.returncode == 0, done.stderr
    assert done.stderr == "error: a sentence\n"
