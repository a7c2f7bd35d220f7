"""The report: HTML and PDF built from sections."""
