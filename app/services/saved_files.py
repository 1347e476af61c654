"""Files the device keeps for people to open again offline (return labels), under its data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

LABELS = "labels"


@dataclass(frozen=True)
class SavedFiles:
    root: Path

    def keep(self, folder: str, name: str, data: bytes) -> Path:
        """Write ``data`` as ``root/folder/name`` (replacing an older copy) and return where it is."""
        safe = PurePath(name).name  # a record's number names the file; never a path out of the folder
        if not safe or safe in (".", ".."):
            raise ValueError(f"not a file name: {name!r}")
        target = self.root / folder / safe
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target
