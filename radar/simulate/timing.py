"""When calls happen: conversation start times per timing habit, and turn gaps inside a conversation."""

from __future__ import annotations

import numpy as np

from radar.simulate.vocab import WEEK_S

DAY = 86_400.0
# Share of a person's calls per local hour (quiet nights, working day, evening peak).
DIURNAL = np.array(
    [0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.4, 2.6, 3.8, 4.4, 4.6, 4.2, 4.5, 4.8, 4.7, 4.4, 3.9, 3.4, 3.6, 3.9, 3.6, 2.6, 1.4]
)
DIURNAL_CDF = np.cumsum(DIURNAL) / DIURNAL.sum()
# Integrations serve other people's users around the clock, a little busier in the Americas' daytime.
STEADY = 1.0 + 0.35 * np.sin(2 * np.pi * (np.arange(168) % 24 - 9) / 24)
STEADY_CDF = np.cumsum(STEADY) / STEADY.sum()


def pick_day(rng: np.random.Generator, day_w: np.ndarray) -> np.ndarray:
    """Which day of the week (0-6) does each conversation fall on, given its account's day weights?"""
    cdf = np.cumsum(day_w, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(day_w))
    return np.minimum((u[:, None] > cdf).sum(axis=1), 6)


def diurnal_starts(rng: np.random.Generator, day_w: np.ndarray, tz: np.ndarray) -> np.ndarray:
    """Start times for people: a day they are active, an hour of their local day."""
    n = len(tz)
    hour = np.searchsorted(DIURNAL_CDF, rng.random(n))
    return pick_day(rng, day_w) * DAY + (hour - tz) * 3600.0 + rng.random(n) * 3600.0


def steady_starts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Start times for server integrations: any hour of the week, gently modulated."""
    hour = np.searchsorted(STEADY_CDF, rng.random(n))
    return hour * 3600.0 + rng.random(n) * 3600.0


def run_starts(rng: np.random.Generator, run_start: np.ndarray, run_len: np.ndarray) -> np.ndarray:
    """Start times for evaluation jobs: inside one of the account's batch runs."""
    n = len(run_len)
    which = rng.integers(0, run_start.shape[1], n)
    return run_start[np.arange(n), which] + rng.random(n) * run_len


def scripted_starts(
    rng: np.random.Generator, day_w: np.ndarray, shift_start: np.ndarray, shift_len: np.ndarray, period: np.ndarray, jitter: np.ndarray
) -> np.ndarray:
    """Start times for scripted clients: slots of a shared grid inside the cluster's daily shift, plus jitter."""
    n = len(period)
    slots = np.maximum(1, (shift_len // period).astype(np.int64))
    slot = (rng.random(n) * slots).astype(np.int64)
    return pick_day(rng, day_w) * DAY + shift_start + slot * period + rng.normal(0.0, 1.0, n) * jitter


def turn_gaps(rng: np.random.Generator, median_s: np.ndarray) -> np.ndarray:
    """Seconds between one turn and the next (reading, typing, or a tool running)."""
    return np.exp(np.log(median_s) + 0.8 * rng.standard_normal(len(median_s)))


def settle(t: np.ndarray, created: np.ndarray) -> np.ndarray:
    """Fold times into the week and keep them after the account existed (moving by whole days)."""
    t = np.mod(t, WEEK_S)
    earliest = np.maximum(created + 900.0, 0.0)
    late = t < earliest
    shift = np.ceil((earliest - t) / DAY) * DAY
    t = np.where(late, t + shift, t)
    span = np.maximum(WEEK_S - earliest, 60.0)
    over = t >= WEEK_S
    return np.where(over, earliest + np.mod(t - earliest, span), t)
