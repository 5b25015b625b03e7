"""Which window and filters does the analyst pick? The shared sidebar's widgets and the values they stand for.

A thin component: it draws widgets under its own keys and returns what they show, plus the pure value
types pages receive. Where the values come from (the URL, the data's extent) and where they go (the URL)
is app state (`app_state.sidebar_filters`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypedDict

import streamlit as st

ALL_MODELS = "All models"

#: Default window length: the last week of data, the span the February 2026 campaigns ran over.
DEFAULT_DAYS = 7

#: The widget keys this component owns in session state.
KEYS = {"first_day": "flt_from", "last_day": "flt_to", "model": "flt_model", "show_allowlisted": "flt_allowlisted"}


@dataclass(frozen=True)
class FilterChoice:
    """What the sidebar shows: first and last day of the window (inclusive), model option, allowlisted toggle."""

    first_day: date
    last_day: date
    model: str
    show_allowlisted: bool


class Window(TypedDict):
    """A builder's time window and model filter, as keyword arguments (typed, so mypy checks the builder takes them)."""

    start: datetime
    end: datetime
    model: str | None


@dataclass(frozen=True)
class Filters:
    """The window (UTC, end exclusive) and global filters every page applies."""

    start: datetime
    end: datetime
    model: str | None = None
    include_allowlisted: bool = False

    @classmethod
    def of(cls, choice: FilterChoice) -> Filters:
        """The filters a sidebar choice stands for (whole UTC days, the last one included)."""
        return cls(
            start=datetime.combine(choice.first_day, time(0), tzinfo=UTC),
            end=datetime.combine(choice.last_day + timedelta(days=1), time(0), tzinfo=UTC),
            model=None if choice.model == ALL_MODELS else choice.model,
            include_allowlisted=choice.show_allowlisted,
        )

    def window(self) -> Window:
        """Keyword arguments for a builder's time window and model filter."""
        return {"start": self.start, "end": self.end, "model": self.model}

    @property
    def label(self) -> str:
        last = (self.end - timedelta(days=1)).date()
        return f"{self.start.date():%d %b %Y} – {last:%d %b %Y} UTC" + (f", model {self.model}" if self.model else "")


def default_choice(first: date, last: date) -> FilterChoice:
    """Which view does a fresh session start on? The last week of data, all models, allowlisted hidden."""
    return FilterChoice(max(first, last - timedelta(days=DEFAULT_DAYS - 1)), last, ALL_MODELS, False)


def parse_day(raw: str | None) -> date | None:
    """Which day does a URL value name (None when absent or unreadable)?"""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def fit_window(first: date, last: date, span: tuple[date, date]) -> tuple[date, date, list[str]]:
    """Which window inside the data's span stands for the one asked for, and what had to change (as sentences)?

    Days before or after the telemetry move to its first or last day, so no picker is handed a day it cannot
    show; a window that then ends before it starts is turned the right way round.
    """
    notes: list[str] = []
    lo, hi = span
    fitted = (min(max(first, lo), hi), min(max(last, lo), hi))
    if fitted != (first, last):
        notes.append(
            f"The window {first.isoformat()} – {last.isoformat()} reaches outside the telemetry ({lo.isoformat()} – {hi.isoformat()}); "
            f"showing {min(fitted).isoformat()} – {max(fitted).isoformat()}."
        )
    elif last < first:
        notes.append(f"The window ended before it started; showing it from {last.isoformat()} to {first.isoformat()}.")
    return min(fitted), max(fitted), notes


def _day(value: object, fallback: date) -> date:
    return value if isinstance(value, date) else fallback


def render_filters(initial: FilterChoice, *, models: list[str], span: tuple[date, date]) -> FilterChoice:
    """Draw the filter widgets (seeded from `initial` the first time this session sees them); returns what they show."""
    notes: list[str] = []
    if KEYS["first_day"] not in st.session_state:
        first, last, notes = fit_window(initial.first_day, initial.last_day, span)
        st.session_state[KEYS["first_day"]], st.session_state[KEYS["last_day"]] = first, last
    for field, key in KEYS.items():
        if key not in st.session_state:
            st.session_state[key] = getattr(initial, field)
    if st.session_state[KEYS["model"]] not in models:  # a model that left the warehouse falls back to all
        st.session_state[KEYS["model"]] = ALL_MODELS
    # The telemetry's span can change under a session (a new load): the pickers keep inside it, silently.
    kept = fit_window(_day(st.session_state[KEYS["first_day"]], span[0]), _day(st.session_state[KEYS["last_day"]], span[1]), span)
    st.session_state[KEYS["first_day"]], st.session_state[KEYS["last_day"]] = kept[0], kept[1]
    lo, hi = span
    with st.sidebar:
        for note in notes:
            st.info(note, icon=":material/date_range:")
        st.markdown("#### Window (UTC)")
        first = st.date_input("From", key=KEYS["first_day"], min_value=lo, max_value=hi, format="YYYY-MM-DD")
        last = st.date_input("To (inclusive)", key=KEYS["last_day"], min_value=lo, max_value=hi, format="YYYY-MM-DD")
        model = st.selectbox("Model", models, key=KEYS["model"], help="Only traffic to this model in traffic figures.")
        show = st.toggle(
            "Show allowlisted entities", key=KEYS["show_allowlisted"], help="Allowlisted accounts are hidden from rankings by default."
        )
        st.caption(f"Telemetry spans {span[0]:%d %b} – {span[1]:%d %b %Y}.")
    first_day, last_day, turned = fit_window(_day(first, kept[0]), _day(last, kept[1]), span)
    for note in turned:
        st.sidebar.warning(note)
    return FilterChoice(first_day, last_day, str(model), bool(show))
