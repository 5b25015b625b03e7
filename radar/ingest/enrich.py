"""What does each prompt look like once its variable parts are gone, what capability does it target, and does it elicit reasoning?

Vectorised polars expressions over a frame of requests, reusable by detection and export code. Hashes are
stable across processes and library versions (md5 of the text; MinHash arithmetic defined here), because
values written by different loads are compared with each other.
"""

from __future__ import annotations

import hashlib

import polars as pl

# One pass over the text replaces every variable part with one placeholder: fenced and inline code, URLs,
# e-mails, quoted spans, UUIDs, any token holding a digit (numbers, dates, hex and numbered ids) and, last,
# capitalised words mid-sentence (names), which keep the character before them through group 1.
_VARIABLE = "|".join(
    [
        r"(?s:```.*?```)",
        r"`[^`\n]+`",
        r"(?i:\b(?:https?://|www\.)\S+)",
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        r"\"[^\"\n]{0,500}\"|“[^”\n]{0,500}”|«[^»\n]{0,500}»",
        r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
        r"\w*\d\w*(?:[.,:/-]\w*\d\w*)*",
        r"([a-z,;:)>] +)[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*",
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
MAX_WORDS = 256  # shingles come from the first words only: bounds cost per prompt; prompts differ early anyway

_word_hash: dict[str, int] = {}


def normalised_prompt(prompt: pl.Expr) -> pl.Expr:
    """What is left of the prompt once numbers, quotes, code, URLs, e-mails, ids and names are replaced by a placeholder?"""
    t = prompt.str.replace_all(_QUOTED_SINGLE, "${1}<v>").str.replace_all(_VARIABLE, "${1}<v>")
    return t.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def _md5_hex(values: pl.Series) -> pl.Series:
    """md5 (first 16 hex digits) of each distinct text, mapped back onto the series."""
    uniq = values.drop_nulls().unique()
    mapping = {v: hashlib.md5(v.encode()).hexdigest()[:16] for v in uniq.to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=pl.String)


def template_fp(prompts: pl.Series) -> pl.Series:
    """Which template does each prompt instantiate? A stable hash of the normalised prompt (null without a prompt)."""
    return _md5_hex(pl.select(normalised_prompt(pl.lit(prompts))).to_series()).alias("template_fp")


def _hash_words(words: pl.Series) -> pl.Series:
    """A stable 31-bit hash per word (md5-based, cached across chunks)."""
    new = [w for w in words.unique().to_list() if w not in _word_hash]
    if len(_word_hash) + len(new) > 5_000_000:
        _word_hash.clear()  # bound memory on open-vocabulary drops; values are recomputed identically
        new = words.unique().to_list()
    for w in new:
        _word_hash[w] = int.from_bytes(hashlib.md5(w.encode()).digest()[:8], "little") % MINHASH_PRIME
    return words.replace_strict(_word_hash, return_dtype=pl.Int64)


def near_dup(normalised: pl.Series) -> pl.DataFrame:
    """Two MinHash values per normalised prompt over word 3-shingles: reworded templates collide with probability ~ Jaccard."""
    p = MINHASH_PRIME
    uniq = normalised.drop_nulls().unique()
    words = (
        pl.DataFrame({"text": uniq})
        .with_row_index("rid")
        .select(
            "rid",
            pl.col("text")
            .str.replace_all(r"[^\w<> ]+", " ")
            .str.split(" ")
            .list.eval(pl.element().filter(pl.element() != ""))
            .list.head(MAX_WORDS)
            .alias("w"),
        )
        .explode("w")
        .drop_nulls("w")
        .with_columns(pos=pl.int_range(pl.len()).over("rid"), n=pl.len().over("rid"))
    )
    h = _hash_words(words.get_column("w"))
    h1 = h.shift(-1).fill_null(0)
    h2 = h.shift(-2).fill_null(0)
    n = words.get_column("n")
    pos = words.get_column("pos")
    # A shingle starts at every word with two more after it; a text of fewer than three words is one shingle.
    h1 = h1.zip_with(pos + 1 < n, pl.Series([0] * len(h1), dtype=pl.Int64))
    h2 = h2.zip_with(pos + 2 < n, pl.Series([0] * len(h2), dtype=pl.Int64))
    keep = (pos + 2 < n) | ((pos == 0) & (n < 3))
    sh = (((h * _SHINGLE_BASE) % p + h1) * _SHINGLE_BASE % p + h2) % p
    frame = pl.DataFrame({"rid": words.get_column("rid"), "s": sh}).filter(keep)
    (a1, b1), (a2, b2) = MINHASH_SEEDS
    sig = frame.group_by("rid").agg(
        ((pl.col("s") * a1 + b1) % p).min().alias("near_dup_a"), ((pl.col("s") * a2 + b2) % p).min().alias("near_dup_b")
    )
    table = pl.DataFrame({"text": uniq}).with_row_index("rid").join(sig, on="rid", how="left").drop("rid")
    return pl.DataFrame({"text": normalised}).join(table, on="text", how="left", maintain_order="left", nulls_equal=False).drop("text")


def cot(prompt: pl.Expr) -> pl.Expr:
    """Does the prompt ask the model to show its chain of thought? Null without a prompt."""
    return prompt.str.to_lowercase().str.contains(_COT)


def capability(prompt: pl.Expr, has_image: pl.Expr, tool_count: pl.Expr, finish_reason: pl.Expr) -> pl.Expr:
    """Which capability does the call target? From prompt vocabulary and request fields; null with neither."""
    t = prompt.str.to_lowercase()
    tools = (tool_count.fill_null(0) > 0) | (finish_reason.fill_null("") == "tool_use")
    has = prompt.is_not_null()
    return (
        pl.when(has_image.fill_null(False) | (has & t.str.contains(_VISION)))
        .then(pl.lit("vision"))
        .when(has & t.str.contains(_CENSORSHIP))
        .then(pl.lit("censorship"))
        .when(has & t.str.contains(_RUBRIC))
        .then(pl.lit("rubric"))
        .when(has & t.str.contains(_CODING))
        .then(pl.lit("coding"))
        .when(tools | (has & t.str.contains(_AGENTIC)))
        .then(pl.lit("agentic"))
        .when(has & t.str.contains(_REASONING))
        .then(pl.lit("reasoning"))
        .when(has & t.str.contains(_WRITING))
        .then(pl.lit("writing"))
        .when(has)
        .then(pl.lit("other"))
        .otherwise(pl.lit(None, pl.String))
    )


def enrich_requests(frame: pl.DataFrame) -> pl.DataFrame:
    """The request rows with their content features: template_fp, near_dup_a/b, capability, cot, prompt_chars."""
    prompt = pl.col("prompt")
    out = frame.with_columns(
        capability(prompt, pl.col("has_image"), pl.col("tool_count"), pl.col("finish_reason")).alias("capability"),
        cot(prompt).alias("cot"),
        prompt.str.len_chars().cast(pl.Int32).alias("prompt_chars"),
        normalised_prompt(prompt).alias("__norm"),
    )
    norm = out.get_column("__norm")
    sig = near_dup(norm)
    return out.with_columns(_md5_hex(norm).alias("template_fp"), sig.get_column("near_dup_a"), sig.get_column("near_dup_b")).drop("__norm")
