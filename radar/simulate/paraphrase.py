"""Paraphrased prompts: the same request reworded call by call, as an operator gets by having a model rewrite its templates.

A paraphrase keeps what is asked (the capability's vocabulary, the slot values, any chain-of-thought request, which
the caller appends separately) and changes how it is framed: an opener, a framing sentence, a line of context, a
closing, and generic wording swaps. None of the added words belong to the capability or chain-of-thought
vocabularies an analyst searches for, so only the template structure is lost.
"""

from __future__ import annotations

import numpy as np
import polars as pl

OPENERS = [
    "",
    "So, ",
    "Okay, ",
    "Hello. ",
    "Good morning! ",
    "Hi there, ",
    "Hey there! ",
    "Quick favour: ",
    "One more: ",
    "Next one. ",
    "Alright, ",
    "Here is my question: ",
    "I'm stuck. ",
    "Could you help me out? ",
    "Need a hand here. ",
    "Sorry to bother you, ",
    "Got a question for you. ",
    "Hoping you can help. ",
    "Right, ",
    "Another one for you: ",
]
# (before, after) the request itself.
FRAMES = [
    ("", ""),
    ("", ""),
    ("Can you do this: ", ""),
    ("Here's the task. ", ""),
    ("My request: ", ""),
    ("I'd like some help. ", ""),
    ("", " That's the whole request."),
    ("", " Nothing else needed."),
]
CONTEXT = [
    "",
    " This is for a course.",
    " It's for my job.",
    " My manager asked me about this.",
    " I'm preparing for an interview.",
    " A friend asked me and I wasn't sure.",
    " I've been stuck on this for a while.",
    " It came up in a meeting today.",
    " I'd like to understand it properly.",
    " This is part of a bigger project.",
    " I'm new to this area.",
    " My notes on this are a mess.",
    " We need this by Friday.",
    " I tried once and failed.",
    " Keep the answer practical.",
    " Plain language please.",
    " Assume I know the basics.",
    " Be thorough.",
    " Details matter here.",
    " It's for a presentation.",
    " I read conflicting things about it.",
]
CLOSERS = [
    "",
    " Thanks.",
    " Thanks a lot!",
    " Cheers.",
    " Much appreciated.",
    " Thank you so much.",
    " Appreciate it!",
    " Looking forward to it.",
    " Any help is welcome.",
    " Many thanks.",
    " Grateful for any help.",
    " Ta.",
]
# Generic wording a rewrite changes; the capability keywords and chain-of-thought phrases are left alone.
SWAPS = [
    ("A train leaves", "Suppose a train leaves"),
    ("Explain the key ideas", "Describe the key ideas"),
    ("What is shown", "What do we have"),
    ("in detail", "in full"),
    ("Identify", "Point out"),
    ("Is the following", "Is this"),
    ("Find the smallest", "Determine the smallest"),
    ("Estimate how many", "Approximately how many"),
    ("State every assumption", "List each assumption"),
    ("If a tank", "Suppose a tank"),
    ("Which root is larger?", "Which of the roots is bigger?"),
    ("My ", "Our "),
    ("Review this", "Look over this"),
    ("Convert this", "Turn this"),
    ("Any bugs?", "Do you spot any bugs?"),
    ("Use the", "Using the"),
    ("for each of the", "for every one of the"),
    ("Given the", "Based on the"),
    ("Continue the plan", "Carry on with the plan"),
    ("Break the goal", "Split the goal"),
    ("Count the", "Tally the"),
    ("Extract the", "Pull the"),
    ("Compare the two", "Look at the two"),
    ("Read the text", "Go through the text"),
    ("Answer as", "Respond as"),
    ("For a research dataset", "For research purposes"),
    ("List the arguments", "Name the arguments"),
    ("Rephrase this question", "Reword this question"),
    ("You are a strict grader", "Act as a strict grader"),
    ("with the attached marking scheme", "using the marking scheme below"),
    ("and give feedback", "and add feedback"),
    (" so that ", " such that "),
    ("How do I fix it?", "What's the fix?"),
    ("patch the failing ones", "repair the failing ones"),
    ("whenever you need fresh data", "any time you need fresh data"),
    ("until it passes", "till it passes"),
    ("Last tool output", "The latest tool output"),
]
#: distinct swap subsets drawn per batch; each row takes one of them (one replace pass per subset, not per swap)
SWAP_SETS = 48


def paraphrase(rng: np.random.Generator, body: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """How would a rewriting model phrase each request? (text before, reworded request, text after), one row per input."""
    n = len(body)
    opener = pl.Series(OPENERS).gather(rng.integers(0, len(OPENERS), n))
    frame = rng.integers(0, len(FRAMES), n)
    before = pl.Series([b for b, _ in FRAMES]).gather(frame)
    after = pl.Series([a for _, a in FRAMES]).gather(frame)
    context = pl.Series(CONTEXT).gather(rng.integers(0, len(CONTEXT), n))
    closer = pl.Series(CLOSERS).gather(rng.integers(0, len(CLOSERS), n))
    subsets = rng.random((SWAP_SETS, len(SWAPS))) < 0.5
    frame_rows = pl.DataFrame({"i": np.arange(n), "p": body, "v": rng.integers(0, SWAP_SETS, n)})
    pieces = []
    for (v,), part in frame_rows.partition_by("v", as_dict=True, maintain_order=True).items():
        pairs = [SWAPS[i] for i in np.flatnonzero(subsets[int(v)])]
        if pairs:
            part = part.with_columns(pl.col("p").str.replace_many([a for a, _ in pairs], [b for _, b in pairs]))
        pieces.append(part)
    reworded = pl.concat(pieces).sort("i")["p"] if pieces else body
    head = pl.DataFrame({"o": opener, "b": before}).select(pl.concat_str(["o", "b"]))[:, 0]
    tail = pl.DataFrame({"c": context, "a": after, "e": closer}).select(pl.concat_str(["c", "a", "e"]))[:, 0]
    return head, reworded, tail
