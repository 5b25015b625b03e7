"""Changes a variant makes to chosen accounts after the usual draws: a sign-up wave at an event, one venue network, daily keys."""

from __future__ import annotations

import numpy as np

from radar.simulate.infra import COUNTRY_TZ, COUNTRY_W, IpTable, asns_of
from radar.simulate.people import Keys
from radar.simulate.vocab import WEEK_S

DAY = 86_400.0
#: addresses a venue's network shows the internet: a conference hall or coworking space NATs through a handful
VENUE_ADDRESSES = (2, 6)


def event_signup(
    rng: np.random.Generator, created: np.ndarray, country_idx: np.ndarray, varied: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """When and where did an event's attendees sign up? One country, within an hour or two of a session on a weekday.

    A launch event, a hackathon or a workshop tells a room to create accounts at once: each attendee signs up on
    their own phone, with their own e-mail and card, minutes apart.
    """
    country = int(rng.choice(len(COUNTRY_W), p=COUNTRY_W))
    day = int(rng.integers(0, 5))  # a weekday of the week
    local_start = rng.uniform(9.0, 16.0) * 3600.0
    start = day * DAY + local_start - COUNTRY_TZ[country] * 3600.0
    m = int(varied.sum())
    created = created.copy()
    created[varied] = start + np.minimum(rng.exponential(40 * 60.0, m), 3 * 3600.0)
    country_idx = country_idx.copy()
    country_idx[varied] = country
    return created, country_idx


def venue_addresses(
    rng: np.random.Generator, ips: IpTable, varied: np.ndarray, start: np.ndarray, length: np.ndarray, uniform: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which addresses do people working from one venue call from? The venue's few NAT addresses, in one /24.

    A bootcamp, a coworking space or a week-long hackathon puts many unrelated developers behind one network;
    they signed up elsewhere, earlier, so their sign-up addresses stay their own.
    """
    size = int(rng.integers(*VENUE_ADDRESSES))
    asn = int(rng.choice(asns_of("business")))
    first = ips.add(np.full(size, asn, dtype=np.int64), same_prefix=True)
    start, length, uniform = start.copy(), length.copy(), uniform.copy()
    start[varied], length[varied], uniform[varied] = first, size, True
    return start, length, uniform


def daily_keys(rng: np.random.Generator, keys: Keys, created: np.ndarray, varied: np.ndarray) -> Keys:
    """Which keys does each account hold when the varied ones make a new key every day and revoke the old one?

    A rotation job runs at the same time each day: the account's first key (made at sign-up) serves until the
    first rotation after the account is first usable, each later key for one day, the old key revoked soon after.
    """
    n = len(varied)
    begin = np.maximum(created + 900.0, 0.0)
    at = rng.uniform(0.0, DAY, n)
    times = np.arange(8)[None, :] * DAY + at[:, None]
    ok = varied[:, None] & (times > begin[:, None]) & (times < WEEK_S)
    times = np.sort(np.where(ok, times, np.inf), axis=1)
    count = np.where(varied, 1 + ok.sum(axis=1), keys.count)
    start = np.cumsum(count) - count
    owner = np.repeat(np.arange(n), count)
    rank = np.arange(len(owner)) - start[owner]
    v = varied[owner]
    old_row = keys.start[owner] + np.minimum(rank, keys.count[owner] - 1)
    rotated = times[owner, np.maximum(rank - 1, 0)]
    new_created = np.where(v & (rank > 0), rotated, keys.created[old_row])
    last = rank == count[owner] - 1
    following = np.append(new_created[1:], np.inf)
    revoke = following + rng.uniform(60.0, 2 * 3600.0, len(owner))
    new_revoked = np.where(v, np.where(last | (revoke >= WEEK_S), np.nan, revoke), keys.revoked[old_row])
    side = np.where(varied, False, keys.side_by_side)
    return Keys(start, count, new_created, new_revoked, side)


#: keys a verified organisation's account holds: one per service, environment and team
FLEET_KEYS = (8, 25)


def fleet_keys(rng: np.random.Generator, keys: Keys, created: np.ndarray, varied: np.ndarray) -> Keys:
    """Which keys does each account hold when the varied ones each use 8-24 keys side by side, made over their history?"""
    n = len(varied)
    count = np.where(varied, rng.integers(*FLEET_KEYS, n), keys.count)
    start = np.cumsum(count) - count
    owner = np.repeat(np.arange(n), count)
    rank = np.arange(len(owner)) - start[owner]
    v = varied[owner]
    old_row = keys.start[owner] + np.minimum(rank, keys.count[owner] - 1)
    first = keys.created[keys.start[owner]]
    # added between the first key and the window (an hour after it at least), never after the week
    made = np.minimum(first + rng.random(len(owner)) * np.maximum(-first, 3600.0), WEEK_S - 60.0)
    new_created = np.where(v, np.where(rank == 0, first, made), keys.created[old_row])
    new_revoked = np.where(v, np.nan, keys.revoked[old_row])
    order = np.lexsort((new_created, owner))  # each account's keys in creation order, as key lookup expects
    side = np.where(varied, True, keys.side_by_side)
    return Keys(start, count, new_created[order], new_revoked[order], side)
