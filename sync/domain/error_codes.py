"""The error-code catalogues people pick from: why a field engineer swapped a FRU, and what the depot found.

Codes are free text on the wire (commands carry strings, the depot upper-cases them); these lists are what the
screens offer. They differ on purpose where the depot is more precise (which fan) than a field diagnosis.
"""

from __future__ import annotations

FIELD_SWAP_CODES: tuple[str, ...] = ("E-FAN", "E-PSU", "E-BP-LINK", "E-IO-LINK", "E-RISER", "E-PHYS-DAMAGE", "OTHER")
DEPOT_CODES: tuple[str, ...] = ("E-FAN3", "E-PSU", "E-BP-LINK", "E-IO-LINK", "E-RISER", "E-PHYS-DAMAGE", "E-NO-POST")
