"""Fixed vocabularies of a gateway's world: models, SDK user agents, networks, countries, e-mail domains."""

from __future__ import annotations

from datetime import UTC, datetime

# The simulated week: Monday 2026-02-09 00:00 UTC to Monday 2026-02-16 00:00 UTC.
WINDOW_START = datetime(2026, 2, 9, tzinfo=UTC)
WEEK_S = 7 * 86_400

# Models offered; the last one is released mid-week (Thursday 17:00 UTC) and can only be called after that.
MODELS = ["atlas-large-3", "atlas-medium-3", "atlas-small-3", "atlas-embed-2", "atlas-large-3.5"]
NEW_MODEL_RELEASE_S = 3 * 86_400 + 17 * 3_600
# Per-model milliseconds per output token (decoding speed), used for latency.
MS_PER_TOKEN = [28.0, 14.0, 7.0, 0.0, 31.0]

# Real SDK user-agent strings and their popularity among all API callers (shared by everyone).
USER_AGENTS: list[tuple[str, float]] = [
    ("anthropic-sdk-python/0.49.0", 18.0),
    ("anthropic-sdk-python/0.47.2", 9.0),
    ("anthropic-sdk-typescript/0.39.0", 11.0),
    ("OpenAI/Python 1.66.3", 10.0),
    ("OpenAI/NodeJS 4.87.3", 5.0),
    ("python-httpx/0.28.1", 7.0),
    ("python-requests/2.32.3", 6.0),
    ("langchain-anthropic/0.3.10", 4.0),
    ("litellm/1.63.11", 4.0),
    ("ai-sdk/anthropic/1.2.0", 3.0),
    ("Go-http-client/2.0", 3.0),
    ("axios/1.8.4", 2.0),
    ("curl/8.5.0", 2.0),
    ("okhttp/4.12.0", 1.0),
    ("Java-http-client/21.0.6", 1.0),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36", 1.5),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15", 1.0),
    ("claude-cli/1.0.24 (external, cli)", 3.0),
    ("Cursor/0.47.8", 3.0),
    ("Cline/3.8.4", 1.5),
    ("continue/1.0.6 (vscode)", 1.0),
    ("aider/0.78.0", 1.0),
]
# Indices of the user agents that IDE / coding-agent tools send.
IDE_AGENTS = [17, 18, 19, 20, 21]
# Indices of server-side SDKs and HTTP clients that integrations run from.
SERVER_AGENTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14]

# Countries: ISO code, UTC offset (hours, a typical one) and share of API callers.
COUNTRIES: list[tuple[str, int, float]] = [
    ("US", -6, 30.0),
    ("GB", 0, 6.0),
    ("DE", 1, 6.0),
    ("FR", 1, 4.0),
    ("IN", 5, 8.0),
    ("JP", 9, 4.0),
    ("KR", 9, 3.0),
    ("BR", -3, 4.0),
    ("CA", -5, 3.0),
    ("AU", 10, 2.0),
    ("SG", 8, 2.0),
    ("NL", 1, 2.0),
    ("ES", 1, 2.0),
    ("IT", 1, 2.0),
    ("MX", -6, 2.0),
    ("PL", 1, 2.0),
    ("VN", 7, 2.0),
    ("PH", 8, 1.5),
    ("ID", 7, 1.5),
    ("TR", 3, 1.5),
    ("NG", 1, 1.0),
    ("IL", 2, 1.0),
    ("SE", 1, 1.0),
    ("AR", -3, 1.0),
    ("HK", 8, 1.0),
    ("TW", 8, 1.0),
]

# Autonomous systems: number, ip_class, country ('' = spans many countries).
ASNS: list[tuple[int, str, str]] = [
    (7922, "residential", "US"),
    (7018, "residential", "US"),
    (701, "residential", "US"),
    (20115, "residential", "US"),
    (21928, "mobile", "US"),
    (22394, "mobile", "US"),
    (3320, "residential", "DE"),
    (3209, "residential", "DE"),
    (3215, "residential", "FR"),
    (12322, "residential", "FR"),
    (2856, "residential", "GB"),
    (5089, "residential", "GB"),
    (9829, "residential", "IN"),
    (55836, "mobile", "IN"),
    (17676, "residential", "JP"),
    (4713, "residential", "JP"),
    (4766, "residential", "KR"),
    (28573, "residential", "BR"),
    (26599, "mobile", "BR"),
    (812, "residential", "CA"),
    (1221, "residential", "AU"),
    (9506, "residential", "SG"),
    (1136, "residential", "NL"),
    (3352, "residential", "ES"),
    (3269, "residential", "IT"),
    (8151, "residential", "MX"),
    (5617, "residential", "PL"),
    (45899, "residential", "VN"),
    (9299, "residential", "PH"),
    (7713, "residential", "ID"),
    (9121, "residential", "TR"),
    (29465, "mobile", "NG"),
    (1680, "residential", "IL"),
    (3301, "residential", "SE"),
    (22927, "residential", "AR"),
    (4760, "residential", "HK"),
    (3462, "residential", "TW"),
    (16509, "datacenter", ""),
    (14618, "datacenter", "US"),
    (15169, "datacenter", ""),
    (396982, "datacenter", ""),
    (8075, "datacenter", ""),
    (14061, "datacenter", ""),
    (24940, "datacenter", "DE"),
    (16276, "datacenter", "FR"),
    (63949, "datacenter", ""),
    (20473, "datacenter", ""),
    (45102, "datacenter", ""),
    (132203, "datacenter", ""),
    (9009, "vpn", ""),
    (212238, "vpn", ""),
    (60068, "vpn", ""),
    (3356, "business", "US"),
    (174, "business", "US"),
    (1299, "business", "SE"),
    (11537, "business", "US"),
    (786, "business", "GB"),
    (680, "business", "DE"),
    (2914, "business", "US"),
    (53667, "tor", ""),
    (208323, "tor", "DE"),
]

WEBMAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "qq.com",
    "163.com",
    "gmx.de",
    "mail.ru",
    "yandex.ru",
    "naver.com",
    "aol.com",
    "zoho.com",
    "fastmail.com",
    "web.de",
]
WEBMAIL_WEIGHTS = [40.0, 14.0, 7.0, 6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.5, 1.5, 1.5, 1.0, 1.0, 1.0, 1.0]
THROWAWAY = [
    "tempmail.dev",
    "sharklasers.com",
    "guerrillamail.com",
    "yopmail.com",
    "10minutemail.net",
    "mailinator.com",
    "dropmail.me",
    "emailondeck.com",
    "tmpmail.org",
    "maildrop.cc",
]
# Word parts for company, university and look-alike domains.
DOMAIN_WORDS = [
    "nova",
    "blue",
    "data",
    "peak",
    "lumen",
    "astra",
    "cedar",
    "quant",
    "helix",
    "orbit",
    "vector",
    "pixel",
    "harbor",
    "summit",
    "signal",
    "forge",
    "atlas",
    "ember",
    "delta",
    "prism",
    "river",
    "stack",
    "terra",
    "sage",
    "loop",
    "spark",
    "north",
    "bright",
    "clear",
    "cloud",
    "mint",
    "core",
    "shift",
    "vertex",
]
COMPANY_TLDS = [".com", ".io", ".ai", ".co", ".dev", ".net", ".de", ".co.uk", ".app", ".tech", ".xyz", ".top", ".online"]
UNIVERSITY_FORMS = ["{w}.edu", "uni-{w}.de", "{w}.ac.uk", "{w}-university.edu", "u{w}.edu", "{w}.ac.jp", "{w}tech.edu"]

VERIFICATION = ["none", "email", "phone", "payment", "organisation"]
