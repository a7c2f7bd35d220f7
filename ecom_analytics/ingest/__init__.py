"""Ingest: file bytes -> reader -> mapping -> canonical table -> cleaning (clean rows + quarantine + report) -> store."""
