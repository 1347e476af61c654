"""Words for people, kept as an English template and its values, so each reader's device can put them in its own
language (``app.i18n.Translator.phrase``). The domain builds them where it explains itself to a person (a serial's
entitlement); ``str()`` is the English text, for messages, logs and tests.

A value may be a Phrase too (a label inside a line), or a code of one of the domain's enums (a status, a role): the
English text shows the code, and a reader's device shows the code's label in its language (``render``'s ``describe``).
Any other value is formatted as it is (a serial, a date).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

TemplateLookup = Callable[[str], str]  # an English template to the reader's (a catalog lookup)


@dataclass(frozen=True)
class Coded:
    """An enum's code as it came over the wire: the enum's name and the code ("RmaStatus", "needs_info")."""

    kind: str
    code: str

    def __str__(self) -> str:
        return self.code

    def __format__(self, spec: str) -> str:
        return format(self.code, spec)


Describe = Callable[[StrEnum | Coded], str | None]  # a code to the reader's words for it, or None to show it as is


@dataclass(frozen=True)
class Phrase:
    template: str
    values: tuple[tuple[str, object], ...] = ()
    lower: bool = False  # a label inside a line ("Response: at risk"), lowered after translation

    def __str__(self) -> str:
        return self.render(lambda text: text)

    def render(self, translate: TemplateLookup, describe: Describe | None = None) -> str:
        """The phrase with each template (its own and its inner phrases') passed through ``translate`` first, and each
        code through ``describe`` (a label in the reader's language) when one is given."""
        template = translate(self.template)
        text = (
            template.format(**{name: _rendered(value, translate, describe) for name, value in self.values})
            if self.values
            else template
        )
        return text.lower() if self.lower else text


def _rendered(value: object, translate: TemplateLookup, describe: Describe | None) -> object:
    if isinstance(value, Phrase):
        return value.render(translate, describe)
    if describe is not None and isinstance(value, StrEnum | Coded):
        said = describe(value)
        if said is not None:
            return said
    return value


def words(template: str, **values: object) -> Phrase:
    """``words("due in {left}", left=duration)``: a Phrase whose template the catalogs translate."""
    return Phrase(template, tuple(values.items()))


def listed(values: Sequence[object], *, empty: Phrase) -> Phrase:
    """Values in a list, "a, b, c" (each a code, a phrase or a name, said as such), or ``empty`` when there are none."""
    if not values:
        return empty
    return Phrase(", ".join(f"{{v{i}}}" for i in range(len(values))), tuple((f"v{i}", v) for i, v in enumerate(values)))


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
        elif isinstance(value, StrEnum | Coded):
            values[name] = _coded_wire(value)
        elif isinstance(value, bool | int | float | str):
            values[name] = value
        else:
            values[name] = str(value)
    wire: dict[str, object] = {"template": phrase.template, "values": values}
    if phrase.lower:
        wire["lower"] = True
    return wire


def _coded_wire(value: StrEnum | Coded) -> dict[str, object]:
    if isinstance(value, Coded):
        return {"kind": value.kind, "code": value.code}
    return {"kind": type(value).__name__, "code": value.value}


def from_wire(data: object) -> Phrase | None:
    """The phrase :func:`to_wire` wrote, or None for anything else (an older server's details, odd JSON)."""
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        return None
    raw = data.get("values", {})
    if not isinstance(raw, dict):
        return None
    values: list[tuple[str, object]] = []
    for name, value in raw.items():
        if isinstance(value, dict) and isinstance(value.get("kind"), str) and isinstance(value.get("code"), str):
            values.append((str(name), Coded(value["kind"], value["code"])))
        elif isinstance(value, dict):
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
        phrase.template.format(**dict(values))
    except (KeyError, IndexError, ValueError):
        return None
    return phrase
