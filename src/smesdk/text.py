"""Bilingual text: every user-facing string in smesdk exists in Chinese and English."""

from __future__ import annotations

from typing import Literal

import attrs

Lang = Literal["zh", "en"]
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
