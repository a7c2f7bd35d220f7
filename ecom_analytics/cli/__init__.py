"""Command line: ``python -m ecom_analytics <command> ...``.

Commands:
  ingest FILE [--kind orders|events] [--json OUT] [--outlier-policy flag|quarantine]
         [--encoding E] [--delimiter comma|tab|semicolon|pipe|whitespace] [--header | --no-header]
         [--map CANONICAL=SOURCE ...] [--mapping-file FILE]
      read, map, clean and store a file in the workspace; print (or write) the summary. The reading
      options replace what is detected; --map (repeatable) and --mapping-file (JSON {canonical: source},
      or the summary `ingest --json` wrote) choose source columns and are remembered for the layout
      (ecom_analytics.ingest.layouts); a layout remembered earlier is used when neither is given. When the
      dataset keeps no or few rows (ecom_analytics.ingest.layouts.reading_problem) a 'warning:' line on
      stderr says why; the dataset is stored and the exit status is 0.
  ingest FILE FILE [FILE ...] [--role FILE=ROLE ...] [--link CHILD->PARENT=CHILD_COL:PARENT_COL ...]
         [--person-key COLUMN|none] [--revenue items|items_and_freight] [--json OUT] [--outlier-policy P]
      the related tables of one export (order header, line items, customers, payments, products):
      each file's role is recognised, the keys that link them proposed, the person behind each order
      chosen, and they are joined into one orders dataset (pipeline.ingest_tables); --role, --link and
      --person-key correct the proposal ('none': the per-order customer id), --revenue counts freight
      or not. The summary adds ``files`` and ``tables`` (roles, relations with counts, person key,
      payment reconciliation, notes). The single-file options (--encoding, --delimiter, --header,
      --no-header, --map, --mapping-file, --kind events) are refused with several files: each
      file's reading is detected; the tables' options are refused with one file.
  register --parquet DIR_OR_GLOB --map CANONICAL=SOURCE[,...] [--kind orders|events] [--name NAME] [--home DIR]
           [--json OUT]
      register a lake's Parquet table (a folder with hive partitions, a file or a glob) with a column mapping,
      without copying it (Workspace.register_parquet); prints the dataset id with its rows, customers and period.
      An unknown canonical column, a missing required one, a column the files lack, or one whose type cannot
      be read as its canonical column's is one sentence and exit status 2. The other commands take the id.
  features --orders FILE|ID [--events FILE|ID] [--customers FILE|ID] --cutoff YYYY-MM-DD --out features.csv
      customer features as of the cutoff (data strictly before it).
  segments --orders FILE|ID [--as-of YYYY-MM-DD] --out segments.csv
      RFM scores and named segments per customer.
  predict --orders FILE|ID [--events FILE|ID] [--customers FILE|ID] --task purchase|churn|revenue --horizon DAYS [--json OUT] [--predictions CSV]
      train the baselines and the neural model on an honest time split, print the leaderboard.
  predict --orders FILE|ID [--events FILE|ID] [--customers FILE|ID] --horizon DAYS [--months 12] [--discount-rate R]
          [--json OUT] [--predictions CSV]
      without --task, every task at once (ecom_analytics.predict.all_tasks): purchase, churn and revenue on the
      same split, each exactly as with --task, plus lifetime value over --months (as the clv command, fitted on
      every order); --json writes {"tasks": {task: the --task JSON}, "clv": the clv JSON}, --predictions one row
      per customer: p_purchase, p_churn, predicted_revenue, expected_purchases, expected_spend, clv,
      probability_alive and each task's reason_1..3.
  forecast FILE|ID [--kind orders|sales] [--measure revenue|units|orders] [--by total|product|category|country|COLUMN]
           [--freq D|W|M] --horizon N [--windows K] [--models naive,seasonal_naive,...] [--series N|all]
           [--holidays CODE|none] [--reconcile] [--json OUT]
      rolling-origin backtest of the forecasting models, leaderboard (MAE, RMSE, MASE, sMAPE) and best model.
      A sales table is forecast per series (--by series) or as its total (--by total); holidays of the
      orders' main country (or --holidays) and the table's holiday/promotion flag feed the models.
  recommend --orders FILE|ID [--events FILE|ID] --horizon DAYS [--k 10] [--models popularity,item_knn,...] [--json OUT] [--out recs.csv]
      rank the recommenders on a time split (hit rate, precision, recall, NDCG, MAP at K, coverage);
      --out writes the best model's top K for every customer, with a reason each.
  campaign FILE [--orders FILE|ID] [--home DIR] [--customer-col C] [--arm-col C] [--control LABEL] [--outcome C] [--window DAYS]
           [--models t_learner,s_learner,...] [--json OUT]
      effect of each arm against the control (lift, 95 % CI, p-value), sample-ratio check and uplift models
      (Qini AUC, uplift in the top 30 %); with --orders, outcomes are computed over DAYS after each send date.
  clv --orders FILE|ID [--calibration-end YYYY-MM-DD] [--unit days|weeks] [--months 12] [--discount-rate R]
      [--json OUT] [--out CSV]
      customer lifetime value in money (ecom_analytics.predict.clv): BG/NBD and Gamma-Gamma fitted on the orders up to
      the calibration end (that day included; default the last order's day), each customer's expected purchases,
      expected spend and CLV over the next --months, discounted at R a month (default 0.01); with orders after the
      calibration end, predicted against actual purchases and spend in that holdout (``evaluation``). --out writes
      one row per customer, highest CLV first.
  report --orders FILE|ID [--events FILE|ID] [--home DIR] [--lang en|zh] [--format html|pdf] [--title T]
         [--without forecast,recommend,clv] [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out FILE
      the Report page's report (ecom_analytics.report.sections): key figures, cleaning, sales charts, RFM
      segments, the sales forecast, the recommendations and lifetime value (and, for a stored dataset, the
      latest model trained on it); HTML with interactive charts that work offline, or PDF. --from/--to (both
      days included, as the app's period) narrow the key figures, sales charts and segments to those days.

Every argument is checked before any work starts (input files exist; dates read as YYYY-MM-DD;
output files can be written: their folder exists and is writable, they are not a folder or an
input file; counts such as --horizon are at least 1); bad input exits with status 2 and a one-line
reason on stderr (for ingest also: --encoding is a text encoding Python knows, --delimiter one of
the names, --map reads canonical=source with a canonical column, --mapping-file is JSON of that
shape; the source columns of --map are checked once the header is read, before cleaning; with
several files: --role names a given file and a role, --link a known link and two columns, --revenue
a known choice; the columns of --link and --person-key are checked once the files are read).
CSV and Excel outputs go through :mod:`ecom_analytics.exports` (cells that could
start a spreadsheet formula are escaped). Run as ``python -m ecom_analytics``, the C++ log lines of
TensorFlow / XLA (``E0000 ...``, ``I0000 ...``) are kept off the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import select
import sys
import threading

from ecom_analytics.cli import (campaign, clv, features, forecast, ingest, predict, recommend, register, report,
                                 segment, segments)
from ecom_analytics.cli.arguments import OUTPUT_FILES, check_arguments, check_recommend_models
from ecom_analytics.errors import InputError, NotFoundError
from ecom_analytics.names import UPLIFT_MODELS as CAMPAIGN_MODELS  # campaign.run.DEFAULT_MODELS, without its imports
from ecom_analytics.ingest.cleaning import OUTLIER_POLICIES

__all__ = ["OUTPUT_FILES", "build_parser", "main", "native_logs_filtered"]

#: ``--home`` of the commands that take a stored dataset's id wherever they take a file
HOME_HELP = "workspace of the dataset ids given (default $ECOM_ANALYTICS_HOME or ./workspace)"


def build_parser(prog: str = "python -m ecom_analytics") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Ecom Analytics command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="read, map, clean and store an orders or events export, or the related "
                                      "tables of one export (order header, line items, customers, payments, products)")
    p.add_argument("file", nargs="+", metavar="FILE",
                   help="CSV, TSV, text, .gz, .zip, .xlsx or Parquet export; several files are the tables of one "
                        "export, joined by their keys into one orders dataset")
    p.add_argument("--kind", choices=["orders", "events", "sales"], default=None,
                   help="table kind (detected when omitted; sales: a date, a value, optional series keys)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.add_argument("--outlier-policy", choices=OUTLIER_POLICIES, default="flag",
                   help="flag extreme lines (default) or quarantine them")
    p.add_argument("--timezone", metavar="ZONE", default=None,
                   help="show times read as UTC (Unix times, times with a zone) in this zone, e.g. Asia/Shanghai")
    p.add_argument("--ad-platform-hashes", action="store_true",
                   help="keep unsalted SHA-256 digests of the e-mails (never the addresses) for Google Ads and Meta "
                   "customer lists; anyone holding an address can match its digest")
    p.add_argument("--home", default=None, help="workspace folder (default $ECOM_ANALYTICS_HOME or ./workspace)")
    p.add_argument("--encoding", metavar="E", default=None,
                   help="text encoding instead of detecting it: utf-8, utf-16, gb18030, big5, shift_jis, euc-kr, "
                        "cp1250, cp1251, cp1252, latin-1 or any Python codec name")
    p.add_argument("--delimiter", metavar="D", default=None,
                   help="delimiter instead of detecting it: comma, tab, semicolon, pipe or whitespace")
    header = p.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_const", const=True, default=None,
                        help="the first line is a header (default: detected)")
    header.add_argument("--no-header", dest="header", action="store_const", const=False,
                        help="there is no header line: the first line is data")
    p.add_argument("--map", metavar="CANONICAL=SOURCE", action="append", default=None,
                   help="map a canonical column to a source column (repeatable; CANONICAL= leaves it out)")
    p.add_argument("--mapping-file", metavar="FILE", default=None,
                   help="JSON {canonical: source}, or a summary written by ingest --json")
    p.add_argument("--role", metavar="FILE=ROLE", action="append", default=None,
                   help="several files: read FILE as ROLE (orders, items, customers, payments, products, events, "
                        "single, unknown) instead of the recognised role (repeatable)")
    p.add_argument("--link", metavar="CHILD->PARENT=CHILD_COL:PARENT_COL", action="append", default=None,
                   help="several files: the key pair of a link (items->orders, payments->orders, orders->customers, "
                        "items->products) instead of the proposed one (repeatable)")
    p.add_argument("--person-key", metavar="COLUMN|none", default=None,
                   help="several files: the column naming the person behind an order (e.g. customer_unique_id); "
                        "'none' uses the per-order customer id (default: the stable id found, if any)")
    p.add_argument("--revenue", metavar="items|items_and_freight", default=None,
                   help="several files: revenue counts item prices only (items, the default) or with freight")
    p.set_defaults(func=ingest.cmd_ingest)

    p = sub.add_parser("register", help="register a lake's Parquet table (folder, file or glob) with a column "
                       "mapping as a dataset, without an upload; the other commands take its id")
    p.add_argument("--parquet", required=True, metavar="DIR_OR_GLOB",
                   help="a Parquet folder (hive partitions included), file or glob pattern such as "
                        "'lake/orders/year=2024/*.parquet'")
    p.add_argument("--map", metavar="CANONICAL=SOURCE[,...]", action="append", required=True,
                   help="canonical column = column of the files, comma-separated or repeated, e.g. "
                        "customer_id=cust,timestamp=ts,amount=revenue (orders need customer_id, timestamp and amount; "
                        "events user_id, timestamp and event_type)")
    p.add_argument("--kind", choices=["orders", "events"], default="orders", help="table kind (default orders)")
    p.add_argument("--name", default=None, help="the dataset's name (default: the folder's name)")
    p.add_argument("--home", default=None, help="workspace folder (default $ECOM_ANALYTICS_HOME or ./workspace)")
    p.add_argument("--json", metavar="OUT", default=None, help="also write the summary as JSON to OUT")
    p.set_defaults(func=register.cmd_register)

    p = sub.add_parser("features", help="customer features as of a cutoff date, to CSV")
    p.add_argument("--orders", required=True, help="orders export, or a stored dataset's id")
    p.add_argument("--events", default=None, help="behaviour events export or dataset id (optional)")
    p.add_argument("--customers", default=None, help="customer attribute table or dataset id (optional)")
    p.add_argument("--cutoff", required=True, help="YYYY-MM-DD: features use data strictly before it")
    p.add_argument("--home", default=None, help=HOME_HELP)
    p.add_argument("--out", required=True, help="output CSV, one row per customer")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="where the aggregates run: duckdb (in process, default) or spark "
                        "(master from $ECOM_ANALYTICS_SPARK_MASTER, default local[2]); the same features")
    p.set_defaults(func=features.cmd_features)

    p = sub.add_parser("segments", help="RFM scores and segments per customer, to CSV")
    p.add_argument("--orders", required=True, help="orders export, or a stored dataset's id")
    p.add_argument("--cutoff", "--as-of", dest="cutoff", default=None,
                   help="YYYY-MM-DD: scores use orders strictly before it, as features --cutoff does "
                        "(default: the day after the last order; --as-of is its former name)")
    p.add_argument("--home", default=None, help=HOME_HELP)
    p.add_argument("--out", required=True, help="output CSV, one row per customer")
    p.set_defaults(func=segments.cmd_segments)

    p = sub.add_parser("predict", help="train and rank the models of a task (without --task: every task at once, "
                                       "plus lifetime value); score every customer")
    p.add_argument("--orders", required=True, help="orders export, or a stored dataset's id")
    p.add_argument("--events", default=None, help="behaviour events export or dataset id (optional)")
    p.add_argument("--customers", default=None, help="customer attribute table or dataset id (optional)")
    p.add_argument("--task", choices=["purchase", "churn", "revenue"], default=None,
                   help="the task to train (default: purchase, churn and revenue at once, plus lifetime value)")
    p.add_argument("--horizon", type=int, required=True, help="horizon in days: the window the task looks ahead")
    p.add_argument("--home", default=None, help=HOME_HELP)
    p.add_argument("--seed", type=int, default=0, help="seed of the neural model")
    p.add_argument("--json", metavar="OUT", default=None, help="write the leaderboard summary as JSON")
    p.add_argument("--predictions", metavar="CSV", default=None, help="write each customer's scores")
    p.add_argument("--months", type=int, default=None,
                   help="without --task: months ahead the lifetime value covers (default 12)")
    p.add_argument("--discount-rate", metavar="R", type=float, default=None,
                   help="without --task: the lifetime value's discount rate per month (default 0.01 = 1 %%)")
    p.set_defaults(func=predict.cmd_predict)

    p = sub.add_parser("forecast", help="backtest forecasting models on sales per day, week or month")
    p.add_argument("source", metavar="FILE", help="orders export or a pre-aggregated sales table (date, value[, series, "
                   "flag]), or the id of such a dataset stored in the workspace")
    p.add_argument("--home", default=None, help="workspace of a dataset id given as FILE (default $ECOM_ANALYTICS_HOME "
                   "or ./workspace)")
    p.add_argument("--kind", choices=["orders", "sales"], default=None, help="table kind (detected when omitted)")
    p.add_argument("--measure", choices=["revenue", "units", "orders"], default="revenue", help="orders only")
    p.add_argument("--by", default=None, help="orders: total (default), product, category, country or a column; "
                   "sales tables: series (default), total, or the first key's column (e.g. Store) when a second "
                   "key (e.g. Dept) splits it")
    p.add_argument("--freq", type=str.upper, choices=["D", "W", "M"], default=None,
                   help="D, W or M (default W for orders, the table's own for sales)")
    p.add_argument("--horizon", type=int, required=True, help="periods ahead to forecast")
    p.add_argument("--windows", type=int, default=4, help="backtest windows of HORIZON periods (default 4)")
    p.add_argument("--models", default="naive,seasonal_naive,snaive_level,ets,theta,ets_theta,fourier,gbm,auto",
                   help="comma-separated: naive, seasonal_naive, snaive_level, ets, theta, ets_theta, stl_ets, "
                   "stl_theta, fourier, gbm, croston, sba, tsb, neural, auto")
    p.add_argument("--series", default=None, metavar="N|all",
                   help="forecast the N largest series, or all (default 10; the leaving-out is said in a note)")
    p.add_argument("--top", type=int, default=10, help=argparse.SUPPRESS)  # the former name of --series
    p.add_argument("--reconcile", action="store_true",
                   help="orders with --by: forecast the total and the series below it (the rest as 'other') and "
                   "print each level's accuracy as forecast, bottom-up and MinT-reconciled")
    p.add_argument("--holidays", default="auto", metavar="CODE|none",
                   help="holiday calendar (ISO country code such as GB, US, DE, CN; default: the orders' main country)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.set_defaults(func=forecast.cmd_forecast, check_models=forecast.check_models)

    p = sub.add_parser("recommend", help="rank product recommenders on a time split; top K per customer")
    p.add_argument("--orders", required=True, help="orders export, or a stored orders dataset's id")
    p.add_argument("--events", default=None, help="behaviour events export or dataset id (optional: views, carts, "
                   "wishlists)")
    p.add_argument("--home", default=None, help="workspace of the dataset ids given (default $ECOM_ANALYTICS_HOME or "
                   "./workspace)")
    p.add_argument("--horizon", type=int, required=True, help="test window H in days")
    p.add_argument("--k", type=int, default=10, help="recommendations per customer (default 10)")
    p.add_argument("--models", default="popularity,item_knn,ease,als,content,hybrid",
                   help="comma-separated: popularity, item_knn, ease, als, content, sequence (Keras), hybrid")
    p.add_argument("--seed", type=int, default=0, help="seed of ALS and the sequence model")
    p.add_argument("--json", metavar="OUT", default=None, help="write the leaderboard summary as JSON")
    p.add_argument("--out", metavar="CSV", default=None, help="write the best model's top K for every customer")
    p.set_defaults(func=recommend.cmd_recommend, check_models=check_recommend_models)

    p = sub.add_parser("campaign", help="effect of a campaign per arm against the control, and uplift models")
    p.add_argument("file", help="campaign table (one row per customer: id, arm, outcomes) or campaign list")
    p.add_argument("--orders", metavar="FILE", default=None,
                   help="orders export or stored orders dataset id: outcomes (converted, revenue, orders) over --window "
                        "days after the send date")
    p.add_argument("--home", default=None, help=HOME_HELP)
    p.add_argument("--customer-col", metavar="C", default=None, help="customer id column (recognised when omitted)")
    p.add_argument("--arm-col", metavar="C", default=None, help="arm column (recognised when omitted)")
    p.add_argument("--control", metavar="LABEL", default=None,
                   help="the control arm's label (control, holdout, No E-Mail, 对照组... are recognised)")
    p.add_argument("--outcome", metavar="C", default=None, help="outcome column (default: the first recognised)")
    p.add_argument("--window", metavar="DAYS", type=int, default=14, help="with --orders: outcome window (default 14)")
    p.add_argument("--models", default=",".join(CAMPAIGN_MODELS),
                   help="uplift models, comma-separated (default: all, as the Campaigns page; empty: none; keras is "
                   "read as neural)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.set_defaults(func=campaign.cmd_campaign, check_models=campaign.check_models)

    p = sub.add_parser("segment", help="customers chosen by a rule on features, RFM scores and predictions, "
                       "to CSV and ad-platform lists (run it from cron to refresh an audience)")
    p.add_argument("--orders", required=True, help="orders export (the latest one, each time it runs)")
    p.add_argument("--events", default=None, help="behaviour events export (optional)")
    rule = p.add_mutually_exclusive_group(required=True)
    rule.add_argument("--rule", default=None, help='the rule, e.g. "orders >= 2 and recency_days < 90"')
    rule.add_argument("--saved", metavar="NAME", default=None, help="the rule of a segment saved in the app")
    p.add_argument("--predict", metavar="TASKS", default=None,
                   help="train these tasks first and add their scores to the rule's columns (purchase,churn,revenue)")
    p.add_argument("--horizon", type=int, default=30, help="window H in days of --predict (default 30)")
    p.add_argument("--out", metavar="CSV", default=None, help="write the segment's customers (CSV, or Excel for .xlsx)")
    p.add_argument("--platform", choices=["google_ads", "meta"], default=None,
                   help="also write the segment as this ad platform's customer list (SHA-256 e-mail digests)")
    p.add_argument("--platform-out", metavar="CSV", default=None, help="where the ad-platform list goes")
    p.add_argument("--home", default=None, help="workspace folder of --saved (default $ECOM_ANALYTICS_HOME or ./workspace)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the segment's size as JSON")
    p.set_defaults(func=segment.cmd_segment)

    p = sub.add_parser("clv", help="customer lifetime value in money (BG/NBD + Gamma-Gamma), evaluated on a holdout")
    p.add_argument("--orders", required=True, help="orders export, or a stored dataset's id")
    p.add_argument("--home", default=None, help=HOME_HELP)
    p.add_argument("--calibration-end", metavar="YYYY-MM-DD", default=None,
                   help="fit on the orders up to this day (included); the orders after it are the holdout the "
                   "predictions are checked on (default: the last order's day, no holdout)")
    p.add_argument("--unit", choices=["days", "weeks"], default="weeks", help="time unit of the model (default weeks)")
    p.add_argument("--months", type=int, default=12, help="months ahead to value (default 12)")
    p.add_argument("--discount-rate", metavar="R", type=float, default=0.01,
                   help="discount rate per month (default 0.01 = 1 %%)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.add_argument("--out", metavar="CSV", default=None, help="write each customer's value (CSV, or Excel for .xlsx)")
    p.set_defaults(func=clv.cmd_clv)

    p = sub.add_parser("report", help="the Report page's report as an HTML file with interactive charts, or a PDF")
    p.add_argument("--orders", required=True, help="orders export, or a stored dataset's id")
    p.add_argument("--events", default=None, help="behaviour events export, or a stored dataset's id (for the "
                   "recommendations)")
    p.add_argument("--home", default=None, help=HOME_HELP)
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the report (default en)")
    p.add_argument("--format", choices=["html", "pdf"], default=None,
                   help="html (default; pdf when --out ends in .pdf)")
    p.add_argument("--title", default=None, help="the report's title (default 'Sales and customer report')")
    p.add_argument("--without", type=lambda text: [s.strip() for s in text.split(",") if s.strip()], default=[],
                   metavar="SECTIONS", help="leave out some of forecast, recommend, clv (comma-separated)")
    p.add_argument("--from", dest="period_from", metavar="YYYY-MM-DD", default=None,
                   help="the key figures, sales and segments from this day (default: the first order's day), as the "
                        "sidebar's period and a link's from=")
    p.add_argument("--to", dest="period_to", metavar="YYYY-MM-DD", default=None,
                   help="... up to this day, included (default: the last order's day)")
    p.add_argument("--out", required=True, help="the report file to write (.html or .pdf)")
    p.set_defaults(func=report.cmd_report)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m ecom_analytics") -> int:
    """Run the command line (``prog`` names it in usage lines); returns the exit status (2 with a
    one-line reason on stderr for bad input, checked before any work starts)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is imported (it is, lazily)
    args = build_parser(prog).parse_args(argv)
    try:
        check_arguments(args)
        return args.func(args)
    except (InputError, NotFoundError) as exc:
        print("error: " + " ".join(str(exc).split()), file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the file is too large for this machine's memory; split it by date.", file=sys.stderr)
        return 2


# A C++ log line of TensorFlow / XLA / absl ("E0000 00:00:1796591903.875225  11709 cuda_platform.cc:52] ...";
# before absl is set up the seconds field is the Unix time) and absl's notice before its own set-up;
# TF_CPP_MIN_LOG_LEVEL does not silence all of them.
NATIVE_LOG_LINE = re.compile(rb"^(?:[IWEF]\d{4} \d\d:\d\d:[\d.]+\s+\d+ [^\]\s]+:\d+\] "
                             rb"|WARNING: All log messages before absl::InitializeLog\(\) is called)")


@contextlib.contextmanager
def native_logs_filtered():
    """Keep the C++ log lines of TensorFlow and its libraries (:data:`NATIVE_LOG_LINE`) off the
    process's stderr while the block runs; every other line (the CLI's own messages, Python
    warnings and tracebacks, a crash report) passes through unchanged. They are written straight
    to file descriptor 2 by native code, so the descriptor is pointed at a pipe read by a thread
    that drops those lines. Does nothing where that is not possible (not POSIX, no stderr)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, AttributeError, ValueError):
        yield
        return
    if os.name != "posix":
        os.close(saved)
        yield
        return
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    done = threading.Event()

    def pump() -> None:
        pending = b""

        def emit(line: bytes) -> None:
            if not NATIVE_LOG_LINE.match(line):
                with contextlib.suppress(OSError):
                    os.write(saved, line)

        while True:
            finishing = done.is_set()  # read before select: what was written before it is in the pipe by then
            ready, _, _ = select.select([read_end], [], [], 0.05)
            if not ready:
                if finishing:
                    break  # the block had ended before this wait, and nothing was left to read
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                emit(line + b"\n")
        if pending:
            emit(pending)

    thread = threading.Thread(target=pump, name="native-log-filter", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, 2)  # the pipe's last writer in this process goes; the thread drains what is left
        done.set()
        thread.join(timeout=2)
        os.close(read_end)
        os.close(saved)
