"""Simulated gateway telemetry: a week with the three February 2026 extraction campaigns and hard benign traffic."""

from __future__ import annotations

from radar.simulate.drop import SimSummary, simulate

__all__ = ["SimSummary", "simulate"]
