"""How does one key's traffic split between a scripted component and the rest? The sentence the Keys page shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.display import fmt_float, fmt_int


def split_sentence(row: Mapping[str, Any]) -> str:
    """The key's split in words: "N of M calls in the scripted component, scored X on its own" (or why there is none)."""
    part, other, score = row.get("extraction_calls"), row.get("other_calls"), row.get("component_score")
    if part is None or other is None:
        return "This run did not split the key's traffic into components (it was scored before the split was kept)."
    total = int(part) + int(other)
    if int(part) == 0:
        return f"None of its {fmt_int(total)} calls form a scripted component (prompt templates shared with other accounts)."
    sentence = f"{fmt_int(part)} of {fmt_int(total)} calls in the scripted component"
    sentence += f", scored {fmt_float(score, 2)} on its own" if score is not None else ""
    return sentence + f"; the other {fmt_int(other)} calls are its own prompts and cover traffic."
