"""Prompt text, built column-wise: template x slot values x rewording, one capability at a time."""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from radar.simulate.paraphrase import paraphrase as reframe
from radar.simulate.templates import CAPABILITIES, COT_PHRASES, PREFIXES, SLOTS, SUFFIXES, SYNONYMS, TEMPLATES, TOPICS

N_CAPS = len(CAPABILITIES)
N_TOPICS = len(TOPICS)
TEMPLATE_COUNTS = np.array([len(TEMPLATES[c]) for c in CAPABILITIES], dtype=np.int64)
_SLOT_RE = re.compile(r"\{(\w+)\}")
# Which slot names each capability's templates use, so only those are substituted.
_USED = {c: sorted({m for t in TEMPLATES[c] for m in _SLOT_RE.findall(t)}) for c in CAPABILITIES}
# Different divisors per slot, so a sweep over topics also walks through slot combinations.
_SWEEP_DIV = {name: 1 + 7 * i for i, name in enumerate(sorted(SLOTS) + ["tool2"])}
_VOCAB = {name: pl.Series(values, dtype=pl.String) for name, values in SLOTS.items()}
_VOCAB["tool2"] = _VOCAB["tool"]
_VOCAB["topic"] = pl.Series(TOPICS, dtype=pl.String)
_PREFIXES = pl.Series(PREFIXES, dtype=pl.String)
_SUFFIXES = pl.Series(SUFFIXES, dtype=pl.String)
_COT = pl.Series([*COT_PHRASES, ""], dtype=pl.String)


def build_prompts(
    rng: np.random.Generator,
    *,
    cap: np.ndarray,
    tmpl: np.ndarray,
    topic: np.ndarray,
    sweep: np.ndarray,
    cot: np.ndarray,
    prefix: np.ndarray,
    suffix: np.ndarray,
    reword_p: np.ndarray,
    paraphrase: np.ndarray | None = None,
) -> pl.Series:
    """What did each caller type? One prompt per row from its capability, template, topic and wording choices.

    cap: capability code per row; tmpl: template number within the capability (taken modulo the count);
    topic: index into the topic taxonomy; sweep: the row walks the taxonomy (slot values follow the topic
    instead of being random); cot: index into the chain-of-thought phrases, -1 for none; prefix/suffix: indices
    into the opening and closing phrases; reword_p: chance per synonym that the row's wording is swapped;
    paraphrase: rows whose request is reworded and framed anew (their own opening and closing, no synonym swaps).
    """
    n = len(cap)
    out = pl.Series("prompt", [None] * 0, dtype=pl.String)
    pieces: list[pl.DataFrame] = []
    order = np.arange(n)
    for code, name in enumerate(CAPABILITIES):
        rows = order[cap == code]
        if len(rows) == 0:
            continue
        pieces.append(_one_capability(rng, name, rows, tmpl[rows], topic[rows], sweep[rows]))
    if not pieces:
        return out
    body = pl.concat(pieces).sort("row")["text"]
    pre = _PREFIXES.gather(np.asarray(prefix, dtype=np.int64) % len(PREFIXES))
    suf = _SUFFIXES.gather(np.asarray(suffix, dtype=np.int64) % len(SUFFIXES))
    if paraphrase is not None and paraphrase.any():
        rows = np.flatnonzero(paraphrase)
        head, reworded, tail = reframe(rng, body.gather(rows))
        pre, body, suf = pre.clone().scatter(rows, head), body.clone().scatter(rows, reworded), suf.clone().scatter(rows, tail)
        reword_p = np.where(paraphrase, 0.0, reword_p)
    frame = pl.DataFrame(
        {
            "pre": pre,
            "body": body,
            "cot": _COT.gather(np.where(cot < 0, len(COT_PHRASES), cot % len(COT_PHRASES))),
            "suf": suf,
        }
    )
    text = frame.select(pl.concat_str(["pre", "body", "cot", "suf"]).alias("prompt"))["prompt"]
    return _reword(rng, text, reword_p)


#: exercises per capability in a course's notebook
COURSE_EXERCISES = 3


def course_prompts(grp: np.ndarray, cap: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Which course prompt does each row paste? One of its group's exercises for the row's capability, word for word.

    A group's exercises are drawn from a generator seeded by the group alone, so every batch and every member
    of the group sees the same text."""
    exercise = rng.integers(0, COURSE_EXERCISES, len(grp))
    groups = np.unique(grp)
    per = len(CAPABILITIES) * COURSE_EXERCISES
    texts: list[pl.Series] = []
    for g in groups.tolist():
        grng = np.random.default_rng([int(g), 20260209])
        caps = np.repeat(np.arange(len(CAPABILITIES)), COURSE_EXERCISES)
        texts.append(
            build_prompts(
                grng,
                cap=caps,
                tmpl=grng.integers(0, 1 << 20, per),
                topic=grng.integers(0, N_TOPICS, per),
                sweep=np.zeros(per, dtype=bool),
                cot=np.where(grng.random(per) < 0.3, grng.integers(0, 6, per), -1),
                prefix=np.zeros(per, dtype=np.int64),
                suffix=np.zeros(per, dtype=np.int64),
                reword_p=np.zeros(per),
            )
        )
    table = pl.concat(texts)
    row = np.searchsorted(groups, grp) * per + cap * COURSE_EXERCISES + exercise
    return table.gather(row)


def _one_capability(
    rng: np.random.Generator, name: str, rows: np.ndarray, tmpl: np.ndarray, topic: np.ndarray, sweep: np.ndarray
) -> pl.DataFrame:
    """Fill the templates of one capability for its rows."""
    m = len(rows)
    templates = pl.Series(TEMPLATES[name], dtype=pl.String)
    expr = pl.col("t")
    cols: dict[str, pl.Series | np.ndarray] = {"row": rows, "t": templates.gather(tmpl % len(templates))}
    for slot in _USED[name]:
        if slot in ("a", "b", "c"):
            # Numbers: sweeps count upward, others are random; both vary row to row.
            hi = {"a": 60, "b": 40, "c": 900}[slot]
            rand = rng.integers(2, hi, m)
            vals = np.where(sweep, 2 + (topic + rows) % (hi - 2), rand)
            cols[slot] = pl.Series(vals).cast(pl.String)
        else:
            vocab = _VOCAB[slot]
            size = len(vocab)
            # Half the time a sweep's other slots vary freely, so walking a topic does not repeat a prompt verbatim.
            walk = sweep & (rng.random(m) < 0.5)
            spread = np.where(walk, (topic // _SWEEP_DIV.get(slot, 1)) % size, rng.integers(0, size, m))
            idx = topic % size if slot == "topic" else spread
            cols[slot] = vocab.gather(idx)
        expr = expr.str.replace("{" + slot + "}", pl.col(slot), literal=True)
    frame = pl.DataFrame(cols)
    return frame.select("row", expr.alias("text"))


def _reword(rng: np.random.Generator, text: pl.Series, reword_p: np.ndarray) -> pl.Series:
    """Swap synonyms at random so one template yields many near-duplicate wordings.

    A reworded row gets one of several wording variants (each a random subset of the synonym swaps), applied
    in a single pass per variant rather than one pass per synonym.
    """
    n = len(text)
    variants = _REWORD_VARIANTS
    chosen = np.where(rng.random(n) < np.minimum(1.0, np.asarray(reword_p) * 3.0), rng.integers(1, variants + 1, n), 0)
    frame = pl.DataFrame({"i": np.arange(n), "p": text, "v": chosen})
    subsets = rng.random((variants, len(SYNONYMS))) < 0.35
    pieces = []
    for (v,), part in frame.partition_by("v", as_dict=True, maintain_order=True).items():
        pairs = [SYNONYMS[i] for i in np.flatnonzero(subsets[int(v) - 1])] if v else []
        if pairs:
            part = part.with_columns(pl.col("p").str.replace_many([a for a, _ in pairs], [b for _, b in pairs]))
        pieces.append(part)
    return pl.concat(pieces).sort("i")["p"].alias("prompt")


_REWORD_VARIANTS = 8
