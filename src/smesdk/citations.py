"""How a node's citations read in plain text: every surface that names a clause asks here.

A node cites one clause (``[001 三（一）]``) or several, each with its role
(``[question: 001 三（一）; scoring: 002 附件1]``). The role names are written once, here.
"""

from __future__ import annotations

from smesdk.spec import Citation, CitationRole, Citations
from smesdk.text import Lang, Text

#: The name of each citation role, for people.
ROLE_TITLES: dict[CitationRole, Text] = {
    "question": Text(zh="题目", en="question"),
    "scoring": Text(zh="评分", en="scoring"),
    "advice": Text(zh="建议", en="advice"),
}


def role_prefix(cite: Citation, lang: Lang) -> str:
    """``"scoring: "`` before a citation with a role; nothing before one without."""
    if cite.role is None:
        return ""
    return f"{ROLE_TITLES[cite.role].get(lang)}{'：' if lang == 'zh' else ': '}"


def cite_text(cites: Citations, lang: Lang = "en") -> str:
    """Every citation as ``doc clause``, led by its role, joined by ``; `` (empty: none)."""
    return "; ".join(f"{role_prefix(c, lang)}{c.doc} {c.clause}" for c in cites)


def bracketed(cites: Citations, lang: Lang = "en") -> str:
    """``" [doc clause]"`` after a title, or nothing for a node without citations."""
    return f" [{cite_text(cites, lang)}]" if cites else ""
