"""Reading docs/sync-protocol.md: its marked JSON examples, its sections and its tables."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.md"

_EXAMPLE = re.compile(r"<!-- example: (?P<kind>[^>]+?) -->\n```json\n(?P<body>.*?)\n```", re.DOTALL)
_JSON_BLOCK = re.compile(r"```json\n")


@dataclass(frozen=True)
class Example:
    kind: str
    line: int
    body: Any

    def __str__(self) -> str:
        return f"{self.kind} (line {self.line})"


def text() -> str:
    return DOC.read_text(encoding="utf-8")


def other_docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOC.parent.glob("*.md")) if p != DOC)


def examples() -> list[Example]:
    doc = text()
    return [
        Example(m["kind"], doc.count("\n", 0, m.start()) + 1, json.loads(m["body"])) for m in _EXAMPLE.finditer(doc)
    ]


def json_block_count() -> int:
    return len(_JSON_BLOCK.findall(text()))


def section(title_prefix: str) -> str:
    """The text of the ``## `` section whose title starts with ``title_prefix``, up to the next ``## ``."""
    doc = text()
    start = doc.index(f"\n## {title_prefix}")
    end = doc.find("\n## ", start + 1)
    return doc[start : end if end != -1 else len(doc)]


def subsections(body: str, level: str = "###") -> dict[str, str]:
    """``### `name` `` headings of ``body`` and the text under each (up to the next heading of any level)."""
    parts = re.split(rf"\n{level} `([^`]+)`\n", body)
    return {name: re.split(r"\n#{2,4} ", rest)[0] for name, rest in zip(parts[1::2], parts[2::2], strict=True)}


def table_after(body: str, header: str) -> list[list[str]]:
    """Cells of the rows of the table whose header row is ``header`` (the first such table in ``body``)."""
    start = body.index(header)
    rows = []
    for line in body[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return rows


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split(" | ")]
