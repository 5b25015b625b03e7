"""Ingestion of the gateway log contract: discover files, read in bounded chunks, validate, quarantine, enrich, load."""

from __future__ import annotations

from radar.ingest.pipeline import IngestSummary, ingest_paths

__all__ = ["IngestSummary", "ingest_paths"]
