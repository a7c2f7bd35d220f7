"""``python -m ecom_analytics`` and the installed ``ecom-analytics`` command: the command line of
:mod:`ecom_analytics.cli`, with TensorFlow's C++ log lines kept off the terminal."""

import sys

from ecom_analytics.cli import main, native_logs_filtered


def run() -> int:
    """``python -m ecom_analytics``; returns the exit status."""
    with native_logs_filtered():
        return main()


def console() -> int:
    """The ``ecom-analytics`` console command (``pyproject.toml``): the same command line, named so
    in its usage lines."""
    with native_logs_filtered():
        return main(prog="ecom-analytics")


if __name__ == "__main__":
    sys.exit(run())
