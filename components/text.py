"""How does text from the URL, the warehouse or the case store reach a page? As literal text, never as markup.

Streamlit renders Markdown in st.markdown, st.caption, alerts, headings, metric, widget and page-link labels:
an id or a note that holds `![x](http://host/p.png)` would make the analyst's browser fetch that address, and
`[y](javascript:...)` would be a live link. `md` is the one escape every page uses before such text meets Markdown.
"""

from __future__ import annotations

import re

# Every character CommonMark, GitHub-flavoured Markdown or Streamlit's extensions give a meaning: emphasis, code,
# links and images, headings, lists, tables, HTML and entities, autolinks (: . @), emoji and colour directives (:),
# LaTeX ($) and setext underlines (=). A backslash before ASCII punctuation always shows the character itself.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&@])")
# Line breaks would start a new block (a list, a heading, a code block); text shown inline stays on one line.
_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029]+")


def md(text: object) -> str:
    """This value (an id, a note, a reason, a name) escaped so Markdown shows it literally: no links, images or markup."""
    return _MD_SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
