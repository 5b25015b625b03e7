"""Distillation Radar: find, triage and label model-extraction campaigns in LLM API telemetry."""

from __future__ import annotations

__version__ = "0.1.0"
