"""Translations: gettext-style, keyed by the English text, so code stays readable and English needs no catalog.

Catalogs live in ``assets/translations/<language>.json`` (the same folder ``flet build`` packages). A missing entry
falls back to English; the language is chosen per device in Settings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parents[1] / "assets" / "translations"
LANGUAGES = {"en": "English", "de": "Deutsch"}


@cache
def _catalog(language: str) -> dict[str, str]:
    path = TRANSLATIONS / f"{language}.json"
    if language == "en" or not path.exists():
        return {}
    loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class Phrase:
    """Words for the screen built away from it (a service, the sync chip's state machine): the English template and
    its values, put in the reader's language by the view (``Translator.phrase``). A value may be a Phrase too: a
    duration inside a countdown, a status label inside a line. ``str()`` is the English text (tests, logs)."""

    template: str
    values: tuple[tuple[str, object], ...] = ()
    lower: bool = False  # a label inside a line ("Response: at risk"), lowered after translation

    def __str__(self) -> str:
        return ENGLISH.phrase(self)


def words(template: str, **values: object) -> Phrase:
    """``words("due in {left}", left=duration)``: a Phrase whose template the catalogs translate."""
    return Phrase(template, tuple(values.items()))


def lowered(text: str) -> Phrase:
    """A label used inside a line, lower case in every language: "Response: at risk" from the label "At risk"."""
    return Phrase(text, lower=True)


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
        """``phrase`` in this language, its inner phrases too (a plain string is shown as it is: a name, a serial)."""
        if isinstance(phrase, str):
            return phrase
        text = self(phrase.template, **{name: self._value(value) for name, value in phrase.values})
        return text.lower() if phrase.lower else text

    def _value(self, value: object) -> object:
        return self.phrase(value) if isinstance(value, Phrase) else value


ENGLISH = Translator()  # English needs no catalog: a Phrase's str()
