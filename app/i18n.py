"""Translations: gettext-style, keyed by the English text, so code stays readable and English needs no catalog.

Catalogs live in ``assets/translations/<language>.json`` (the same folder ``flet build`` packages). A missing entry
falls back to English; the language is chosen per device in Settings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from app.vocabulary import label, member
from sync.domain.words import Coded, Phrase, lowered, words

__all__ = ["LANGUAGES", "Phrase", "Translator", "lowered", "words"]

TRANSLATIONS = Path(__file__).resolve().parents[1] / "assets" / "translations"
LANGUAGES = {"en": "English", "de": "Deutsch"}
# Languages whose labels go lower case inside a sentence ("a field engineer may not …"); German keeps its nouns'
# capitals ("die Rolle „Servicetechniker“ …").
LOWER_INSIDE_SENTENCES = frozenset({"en"})


@cache
def _catalog(language: str) -> dict[str, str]:
    path = TRANSLATIONS / f"{language}.json"
    if language == "en" or not path.exists():
        return {}
    loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class Translator:
    language: str = "en"
    catalog: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def for_language(cls, language: str) -> Translator:
        code = language if language in LANGUAGES else "en"
        return cls(language=code, catalog=_catalog(code))

    def __call__(self, text: str, **values: object) -> str:
        translated = self.catalog.get(text, text)
        return translated.format(**values) if values else translated

    def phrase(self, phrase: Phrase | str) -> str:
        """``phrase`` in this language, its inner phrases too, and each code in it as its label (a plain string is
        shown as it is: a name, a serial)."""
        if isinstance(phrase, str):
            return phrase
        return phrase.render(lambda template: self.catalog.get(template, template), self._describe)

    def inline(self, text: str) -> str:
        """A label as it reads inside a sentence in this language: "Field engineer" is "field engineer" in English,
        an acronym ("PSU") stays as it is."""
        if self.language in LOWER_INSIDE_SENTENCES and text[:2] != text[:2].upper():
            return text[0].lower() + text[1:]
        return text

    def _describe(self, value: StrEnum | Coded) -> str | None:
        found = value if isinstance(value, StrEnum) else member(value.kind, value.code)
        return self.inline(self(label(found))) if found is not None else None
