"""What does each prompt look like once its variable parts are gone, what capability does it target, and does it elicit reasoning?

Vectorised polars expressions over a frame of requests, reusable by detection and export code. Hashes are
stable across processes and library versions (md5 of the text; MinHash arithmetic defined here), because
values written by different loads are compared with each other.
"""

from __future__ import annotations

import threading

import duckdb
import polars as pl

from queries import enrich as hashes

# One pass over the text replaces every variable part with one placeholder: fenced and inline code, URLs,
# e-mails, quoted spans, UUIDs, any token holding a digit (numbers, dates, hex and numbered ids) and, last,
# capitalised words after a lowercase word (names mid-sentence; not the capital that opens a clause after
# punctuation), which keep the character before them through group 1.
_VARIABLE = "|".join(
    [
        r"(?s:```.*?```)",
        r"`[^`\n]+`",
        r"(?i:\b(?:https?://|www\.)\S+)",
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        r"\"[^\"\n]{0,500}\"|“[^”\n]{0,500}”|«[^»\n]{0,500}»",
        r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
        r"\w*\d\w*(?:[.,:/-]\w*\d\w*)*",
        r"([a-z)>] +)[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*",
    ]
)
_QUOTED_SINGLE = r"(^|[\s(\[])'[^'\n]{1,500}'"

CAPABILITIES = ("reasoning", "coding", "agentic", "vision", "rubric", "censorship", "writing", "other")

# Broad vocabularies an analyst would search for, matched on the lowercased prompt.
_VISION = r"\b(image|images|photo|photograph|picture|screenshot|diagram|figure shown|scanned|ocr|caption|what do you see|visual)\b"
_CENSORSHIP = (
    r"jailbreak|bypass|circumvent|ignore (all |any |your |the )?(previous|prior|above|earlier) instructions|without (any )?(restrictions|filters|censorship)"
    r"|no (restrictions|filters|rules|limits)|uncensored|unfiltered|censor|forbidden|banned|taboo|politically sensitive|restricted (content|topic)"
    r"|content polic|safety (filter|guideline)|developer mode|pretend (you are|to be|you have)|evade|refuse|dissident|propaganda"
)
_RUBRIC = (
    r"rubric|grading|\bgrade (this|the|each|following|these)|\bscore (this|the|each|these|following)|scoring (criteria|guide)"
    r"|\brate (this|the|each|these|following)|on a scale (of|from)|evaluate (the|this|these|each) (response|answer|output|essay|solution)"
    r"|which (response|answer|output) is better|assess the quality|criteria|judge (the|this|which)|pairwise|preference"
)
_CODING = (
    r"```|\bcode\b|\bcoding\b|python|javascript|typescript|\bjava\b|\brust\b|golang|c\+\+|\bsql\b|\bregex|\bfunction\b|\bclass\b"
    r"|\bmethod\b|compile|debug|\bbugs?\b|stack ?trace|traceback|exception|unit tests?|refactor|endpoint|\bscript|algorithm|implement"
    r"|repository|pull request|\bgit\b|docker|kubernetes|\bbash\b|terminal command|library|\bapi\b|frontend|backend|database schema"
)
_AGENTIC = (
    r"\btools?\b|tool call|function call|\bagents?\b|agentic|browse|search the web|navigate|click|\bshell\b|execute|run the command"
    r"|multi-step|plan (the|your|each) steps|workflow|orchestrat|call the api|file system|open the file|subtask|autonomous"
)
_REASONING = (
    r"prove|proof|theorem|lemma|solve|equation|calculat|compute|\bmath|arithmetic|algebra|geometry|probability|integral|derivative"
    r"|logic|puzzle|riddle|deduc|infer|how many|what is the (sum|product|value)|reasoning|physics|chemistry|optimi[sz]"
)
_WRITING = (
    r"\bwrite\b|essay|story|poem|rewrite|summar|draft|blog|article|translat|paraphrase|cover letter|\btone\b|proofread"
    r"|headline|slogan|narrative|dialogue|compose|copy ?edit"
)
_COT = (
    r"step[- ]by[- ]step|show (me )?(your|all( of)?( your)?|the|each) (reasoning|work|steps|thinking|derivation)"
    r"|think (it |this |things )?(through|carefully|aloud|out loud|hard)|explain (each|every|your) (step|reasoning)"
    r"|reasoning (trace|process|chain|steps)|chain[- ]of[- ]thought|<think(ing)?>|walk (me )?through|let'?s think"
    r"|reason (through|about it|carefully|it out)|before (answering|giving|you answer)|internal (monologue|reasoning)|scratch ?pad"
    r"|justify each|intermediate steps|full derivation"
)

MINHASH_PRIME = 2_147_483_647  # 2^31 - 1: every product below stays under 2^62, so Int64 arithmetic is exact
_SHINGLE_BASE = 1_000_003
# (a, b) of the two universal hash functions h(x) = (a*x + b) mod p behind near_dup_a and near_dup_b.
MINHASH_SEEDS = ((1_103_515_245 % MINHASH_PRIME, 12_345), (2_013_265_921 % MINHASH_PRIME, 2_718_281))
_PUNCT = r" ?[!-/:-;=?-@\[-^`{-~]+"  # ASCII punctuation except < > _ (placeholders and identifiers keep theirs)
MAX_WORDS = 256  # shingles come from the first words only: bounds cost per prompt; prompts differ early anyway
# Similar-prompt signature: banded MinHash (LSH) over the set of the prompt's content words, so a rewording that adds
# an opening, a closing or a line of context and swaps some phrases still shares buckets with the original. Computed
# here, once per distinct prompt and from the word hashes near_dup already makes, rather than at score time: prompts
# are only in hand at ingest (a score-time pass would fetch and re-normalise the text of every sampled call on every
# run), and the buckets are then counted in the warehouse like any other shared value.
#: words this long or longer carry the content; English function words (the, and, for, you, can) are shorter and are
#: the first thing a rewording changes
SIMILAR_MIN_CHARS = 4
#: rows (MinHash values) per band: a pair of prompts with content-word Jaccard J shares a band with probability J^2,
#: so near-rewordings (J ~ 0.5-0.7) collide often and prompts sharing a few words (J < 0.2) rarely
SIMILAR_ROWS = 2
SIMILAR_BANDS = 4  # any of four bands: a rewording at J = 0.5 shares at least one with probability 1 - 0.75^4 = 0.68
SIMILAR_COLUMNS = tuple(f"similar_{i + 1}" for i in range(SIMILAR_BANDS))
#: (a, b) of the SIMILAR_BANDS x SIMILAR_ROWS universal hash functions, fixed so values agree across loads
SIMILAR_SEEDS = (
    (1_664_525, 1_013_904_223),
    (22_695_477, 1),
    (1_103_515_245 // 3, 2_531_011),
    (214_013, 2_531_011 * 7),
    (134_775_813, 17),
    (69_069, 1_234_567),
    (1_566_083_941, 907_633_385),
    (1_812_433_253, 99_991),
)

_word_hashes = pl.DataFrame(schema={"w": pl.String, "h": pl.Int64})  # stable word hashes, cached across chunks
_WORD_CACHE_MAX = 2_000_000


def normalised_prompt(prompt: pl.Expr) -> pl.Expr:
    """What is left of the prompt once numbers, quotes, code, URLs, e-mails, ids and names are replaced by a placeholder?"""
    t = prompt.str.replace_all(_QUOTED_SINGLE, "${1}<v>").str.replace_all(_VARIABLE, "${1}<v>")
    # Collapse only runs and non-space blanks: replacing every single space costs six times more for the same text.
    return t.str.to_lowercase().str.replace_all(r"\s{2,}|[^\S ]", " ").str.strip_chars()


_local = threading.local()


def _hash_sql(values: pl.Series, statement: tuple[str, list[object]], dtype: pl.DataType) -> pl.Series:
    """The statement's one column over the values, in their order (DuckDB computes md5 without a Python loop).

    One in-memory database per thread: enrichment runs in a worker thread while the warehouse connection loads."""
    con: duckdb.DuckDBPyConnection | None = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(config={"threads": 1})
    sql, params = statement
    con.register(hashes.HASH_VIEW, pl.DataFrame({"v": values}).to_arrow())
    try:
        out = con.sql(sql, params=params).pl().get_column("d")  # type: ignore[union-attr]  # a SELECT: always a relation
    finally:
        con.unregister(hashes.HASH_VIEW)
    return out.cast(dtype)


def _md5_hex(values: pl.Series) -> pl.Series:
    """md5 (first 16 hex digits) of each text: the same digits as hashlib's md5 of the UTF-8 bytes."""
    return _hash_sql(values, hashes.md5_prefix(), pl.String())


def template_fp(prompts: pl.Series) -> pl.Series:
    """Which template does each prompt instantiate? A stable hash of the normalised prompt (null without a prompt)."""
    return _md5_hex(pl.select(normalised_prompt(pl.lit(prompts))).to_series()).alias("template_fp")


def _hash_words(words: pl.Series) -> pl.Series:
    """A stable 31-bit hash per word (from md5, so identical in every process), cached across chunks."""
    global _word_hashes
    # One lookup pass over every word; only the words the cache lacks (few once the vocabulary is seen) are hashed.
    found = pl.DataFrame({"w": words}).join(_word_hashes, on="w", how="left", maintain_order="left")
    missing = found.filter(pl.col("h").is_null()).get_column("w").unique()
    if missing.is_empty():
        return found.get_column("h")
    # md5_number_upper is the first 8 digest bytes read little-endian: int.from_bytes(md5(w)[:8], "little").
    new = pl.DataFrame({"w": missing, "h": _hash_sql(missing, hashes.md5_bucket(MINHASH_PRIME), pl.Int64())})
    if _word_hashes.height + new.height > _WORD_CACHE_MAX:
        _word_hashes = _word_hashes.clear()  # bound memory on open vocabularies; values recompute identically
    _word_hashes = pl.concat([_word_hashes, new])
    filled = found.join(new, on="w", how="left", maintain_order="left", suffix="_new")
    return filled.select(pl.coalesce("h", "h_new")).to_series().alias("h")


def near_dup(normalised: pl.Series) -> pl.DataFrame:
    """Two MinHash values per normalised prompt over word 3-shingles: reworded templates collide with probability ~ Jaccard."""
    p = MINHASH_PRIME
    uniq = normalised.drop_nulls().unique()
    split = (
        pl.DataFrame({"text": uniq})
        .with_row_index("rid")
        .select(
            "rid",
            # ASCII punctuation (and the space before it) dropped; the text's blanks are already single spaces.
            pl.col("text").str.replace_all(_PUNCT, "").str.strip_chars().str.split(" ").list.head(MAX_WORDS).alias("w"),
        )
        .filter(pl.col("w").list.first() != "")
        .with_columns(n=pl.col("w").list.len().cast(pl.Int64))
    )
    # Words of one text are contiguous after the explode: a word's position is its index minus the text's start.
    words = split.with_columns(start=pl.col("n").cum_sum() - pl.col("n")).explode("w")
    words = words.with_columns(pos=pl.int_range(pl.len(), dtype=pl.Int64) - pl.col("start"), h=_hash_words(words.get_column("w")))
    # A shingle starts at every word with two more after it; a text of fewer than three words is one shingle.
    h, pos, n = pl.col("h"), pl.col("pos"), pl.col("n")
    h1 = pl.when(pos + 1 < n).then(h.shift(-1)).otherwise(0)
    h2 = pl.when(pos + 2 < n).then(h.shift(-2)).otherwise(0)
    frame = words.select(
        "rid",
        ((((h * _SHINGLE_BASE) % p + h1) * _SHINGLE_BASE % p + h2) % p).alias("s"),
        ((pos + 2 < n) | ((pos == 0) & (n < 3))).alias("keep"),
    ).filter(pl.col("keep"))
    (a1, b1), (a2, b2) = MINHASH_SEEDS
    sig = frame.group_by("rid").agg(
        ((pl.col("s") * a1 + b1) % p).min().alias("near_dup_a"), ((pl.col("s") * a2 + b2) % p).min().alias("near_dup_b")
    )
    table = pl.DataFrame({"text": uniq}).with_row_index("rid").join(sig, on="rid", how="left")
    table = table.join(_similar_bands(words.select("rid", "w", "h")), on="rid", how="left").drop("rid")
    return pl.DataFrame({"text": normalised}).join(table, on="text", how="left", maintain_order="left", nulls_equal=False).drop("text")


def _similar_bands(words: pl.DataFrame) -> pl.DataFrame:
    """Which LSH buckets (similar_1..) does each text fall in? rid plus one bucket per band over its content words."""
    p = MINHASH_PRIME
    content = words.filter(pl.col("w").str.len_chars() >= SIMILAR_MIN_CHARS)
    mins = content.group_by("rid").agg([((pl.col("h") * a + b) % p).min().alias(f"m{i}") for i, (a, b) in enumerate(SIMILAR_SEEDS)])
    # a band is its two 31-bit MinHash values side by side in one 62-bit integer: exact, and stable across loads
    bands = [
        (pl.col(f"m{j * SIMILAR_ROWS}") * (1 << 31) + pl.col(f"m{j * SIMILAR_ROWS + 1}")).alias(name)
        for j, name in enumerate(SIMILAR_COLUMNS)
    ]
    return mins.select("rid", *bands)


def cot(prompt: pl.Expr) -> pl.Expr:
    """Does the prompt ask the model to show its chain of thought? Null without a prompt."""
    return _cot_lower(prompt.str.to_lowercase())


def _cot_lower(lowered: pl.Expr) -> pl.Expr:
    """cot() over an already lowercased prompt."""
    return lowered.str.contains(_COT)


_KEYWORDS = {
    "vision": _VISION,
    "censorship": _CENSORSHIP,
    "rubric": _RUBRIC,
    "coding": _CODING,
    "agentic": _AGENTIC,
    "reasoning": _REASONING,
    "writing": _WRITING,
}


def _keyword_flags(prompt: pl.Expr) -> list[pl.Expr]:
    """One boolean per capability vocabulary (kw_<capability>), matched on the lowercased prompt."""
    return _keyword_flags_lower(prompt.str.to_lowercase())


def _keyword_flags_lower(lowered: pl.Expr) -> list[pl.Expr]:
    """_keyword_flags() over an already lowercased prompt."""
    return [lowered.str.contains(rx).alias(f"kw_{name}") for name, rx in _KEYWORDS.items()]


def _choose(flag: dict[str, pl.Expr], has_prompt: pl.Expr, has_image: pl.Expr, tool_count: pl.Expr, finish_reason: pl.Expr) -> pl.Expr:
    """The capability, by precedence: vision, censorship, rubric, coding, agentic (fields or words), reasoning, writing, other."""
    tools = (tool_count.fill_null(0) > 0) | (finish_reason.fill_null("") == "tool_use")
    on = {k: has_prompt & v.fill_null(False) for k, v in flag.items()}
    return (
        pl.when(has_image.fill_null(False) | on["vision"])
        .then(pl.lit("vision"))
        .when(on["censorship"])
        .then(pl.lit("censorship"))
        .when(on["rubric"])
        .then(pl.lit("rubric"))
        .when(on["coding"])
        .then(pl.lit("coding"))
        .when(tools | on["agentic"])
        .then(pl.lit("agentic"))
        .when(on["reasoning"])
        .then(pl.lit("reasoning"))
        .when(on["writing"])
        .then(pl.lit("writing"))
        .when(has_prompt)
        .then(pl.lit("other"))
        .otherwise(pl.lit(None, pl.String))
    )


def capability(prompt: pl.Expr, has_image: pl.Expr, tool_count: pl.Expr, finish_reason: pl.Expr) -> pl.Expr:
    """Which capability does the call target? From prompt vocabulary and request fields; null with neither."""
    flags = {e.meta.output_name()[3:]: e for e in _keyword_flags(prompt)}
    return _choose(flags, prompt.is_not_null(), has_image, tool_count, finish_reason)


def prompt_features(prompts: pl.Series) -> pl.DataFrame:
    """Per distinct prompt: template_fp, near_dup_a/b, similar_1..4, cot, prompt_chars and the capability keyword flags (kw_*)."""
    u = pl.DataFrame({"prompt": prompts.drop_nulls().unique()})
    # Lowercase once for the eight vocabularies; the expressions of one with_columns run in parallel.
    u = u.with_columns(pl.col("prompt").str.to_lowercase().alias("__lower")).with_columns(
        normalised_prompt(pl.col("prompt")).alias("__norm"),
        _cot_lower(pl.col("__lower")).alias("cot"),
        pl.col("prompt").str.len_chars().cast(pl.Int32).alias("prompt_chars"),
        *_keyword_flags_lower(pl.col("__lower")),
    )
    norm = u.get_column("__norm")
    sig = near_dup(norm)
    return u.with_columns(
        _md5_hex(norm).alias("template_fp"), *[sig.get_column(c) for c in ("near_dup_a", "near_dup_b", *SIMILAR_COLUMNS)]
    ).drop("__norm", "__lower")


def enrich_requests(frame: pl.DataFrame) -> pl.DataFrame:
    """The request rows with their content features: capability, cot, prompt_chars, template_fp, near_dup_a/b, similar_1..4.

    Text work runs once per distinct prompt (campaign traffic repeats prompts), then joins back. Where validation
    cut long prompts, the frame already carries prompt_chars (the length sent), which wins over the stored text's."""
    feats = prompt_features(frame.get_column("prompt"))
    sent = "prompt_chars" in frame.columns
    out = frame.join(feats.drop("prompt_chars") if sent else feats, on="prompt", how="left", maintain_order="left", nulls_equal=False)
    flags = {name: pl.col(f"kw_{name}") for name in _KEYWORDS}
    cap = _choose(flags, pl.col("prompt").is_not_null(), pl.col("has_image"), pl.col("tool_count"), pl.col("finish_reason"))
    out = out.with_columns(cap.alias("capability")).drop([f"kw_{n}" for n in _KEYWORDS])
    added = ["capability", "cot", *([] if sent else ["prompt_chars"]), "template_fp", "near_dup_a", "near_dup_b", *SIMILAR_COLUMNS]
    return out.select([*frame.columns, *added])
