"""Words for people, kept as an English template and its values, so each reader's device can put them in its own
language (``app.i18n.Translator.phrase``). The domain builds them where it explains itself to a person (a serial's
entitlement); ``str()`` is the English text, for messages, logs and tests.

A value may be a Phrase too (a label inside a line); any other value is formatted as it is (a serial, a date).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

TemplateLookup = Callable[[str], str]  # an English template to the reader's (a catalog lookup)


@dataclass(frozen=True)
class Phrase:
    template: str
    values: tuple[tuple[str, object], ...] = ()
    lower: bool = False  # a label inside a line ("Response: at risk"), lowered after translation

    def __str__(self) -> str:
        return self.render(lambda text: text)

    def render(self, translate: TemplateLookup) -> str:
        """The phrase with each template (its own and its inner phrases') passed through ``translate`` first."""
        template = translate(self.template)
        text = (
            template.format(
                **{name: value.render(translate) if isinstance(value, Phrase) else value for name, value in self.values}
            )
            if self.values
            else template
        )
        return text.lower() if self.lower else text


def words(template: str, **values: object) -> Phrase:
    """``words("due in {left}", left=duration)``: a Phrase whose template the catalogs translate."""
    return Phrase(template, tuple(values.items()))


def lowered(text: str) -> Phrase:
    """A label used inside a line, lower case in every language: "Response: at risk" from the label "At risk"."""
    return Phrase(text, lower=True)


def to_wire(phrase: Phrase) -> dict[str, object]:
    """The phrase as JSON values, so a refusal the server explains reaches the device translatable (an error's
    ``details["words"]``): a value that is no phrase and no JSON scalar travels as its English text (a date)."""
    values: dict[str, object] = {}
    for name, value in phrase.values:
        if isinstance(value, Phrase):
            values[name] = to_wire(value)
        elif isinstance(value, bool | int | float | str):
            values[name] = value
        else:
            values[name] = str(value)
    wire: dict[str, object] = {"template": phrase.template, "values": values}
    if phrase.lower:
        wire["lower"] = True
    return wire


def from_wire(data: object) -> Phrase | None:
    """The phrase :func:`to_wire` wrote, or None for anything else (an older server's details, odd JSON)."""
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        return None
    raw = data.get("values", {})
    if not isinstance(raw, dict):
        return None
    values: list[tuple[str, object]] = []
    for name, value in raw.items():
        if isinstance(value, dict):
            inner = from_wire(value)
            if inner is None:
                return None
            values.append((str(name), inner))
        elif isinstance(value, bool | int | float | str):
            values.append((str(name), value))
        else:
            return None
    phrase = Phrase(data["template"], tuple(values), lower=data.get("lower") is True)
    try:  # a template whose names the values do not fill is not a phrase
        phrase.template.format(**{name: "" for name, _ in values})
        str(phrase)
    except (KeyError, IndexError, ValueError):
        return None
    return phrase
