"""Bilingual text: every user-facing string in smesdk exists in Chinese and English."""

from __future__ import annotations

import attrs

#: A language tag (BCP 47), e.g. "zh", "en", "de".
Lang = str
LANGS: tuple[Lang, ...] = ("zh", "en")


@attrs.frozen
class Text:
    """A string in both languages. Chinese comes first: it is the guides' own language."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        """The text in *lang*, falling back to the other language (marked) when empty."""
        own = self.zh if lang == "zh" else self.en
        if own:
            return own
        other = self.en if lang == "zh" else self.zh
        return f"[{'en' if lang == 'zh' else 'zh'}] {other}" if other else ""

    @classmethod
    def both(cls, zh: str, en: str) -> Text:
        return cls(zh=zh, en=en)


class Labels:
    """A table of fixed wordings, ``key -> (zh, en)``, with ``{name}`` placeholders.

    Each output (terminal, report, questionnaire, docs) keeps its own vocabulary; this is the
    one way they look a wording up::

        label = Labels({"total": ("总分", "Total")})
        label("total", "en")       # "Total"
        label.text("total")        # Text(zh="总分", en="Total")
    """

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self.table = table

    def __call__(self, key: str, lang: Lang, /, **values: object) -> str:
        zh, en = self.table[key]
        return (zh if lang == "zh" else en).format(**values) if values else (
            zh if lang == "zh" else en)

    def text(self, key: str, /, **values: object) -> Text:
        zh, en = self.table[key]
        return Text(zh=zh.format(**values), en=en.format(**values)) if values else Text(zh=zh, en=en)
