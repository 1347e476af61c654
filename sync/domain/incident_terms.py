"""Which tier an incident's clocks run under, at which place, and its clocks now: the one home of that question.

Handlers (opening, moving, amending, recording a breach), the device's screens and the server's breach sweep all ask
here, so a chassis page, the desk board and the sweep compute the same due times from the same record.

- The **governing tier** of a new incident is its chassis's governing contract's (sync/domain/coverage.py, on the
  site's calendar day): the tier template the contract names, or, for a contract from before templates, its own
  hours read as a tier (sync/domain/sla_contract.py). Without a contract, a chassis under warranty runs under the
  own-warranty tier for new units; anything else has no committed time (``NO_CONTRACT``).
- A **tier name** on a record (after a tier change, say) is resolved the same way: a catalogue template, the named
  contract's own tier, or ``NO_CONTRACT``.
- The **place** is the site's zone, the contract's holidays and the site's distance to its servicing depot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sync.domain.asset import Asset
from sync.domain.context import Reader
from sync.domain.contract import Contract
from sync.domain.coverage import governing_contract_of, site_day, site_timezone
from sync.domain.errors import InvalidInput
from sync.domain.incident import incident_clocks
from sync.domain.site import Site
from sync.domain.sla import Clock, ClockState, ServicePlace, Tier, distance_flags
from sync.domain.sla_catalogue import NO_CONTRACT, OWN_WARRANTY_NEW, TEMPLATES, template
from sync.domain.sla_contract import contract_tier, tier_of
from sync.domain.ticket import Ticket
from sync.domain.words import words


@dataclass(frozen=True, kw_only=True)
class Terms:
    """What a new incident on a chassis runs under."""

    contract: Contract | None
    tier: Tier
    place: ServicePlace


def tier_named(name: str, contract: Contract | None) -> Tier:
    """The tier ``name`` stands for on an incident under ``contract``; InvalidInput for a name nothing knows."""
    if any(t.name == name for t in TEMPLATES):
        return template(name)
    if contract is not None and contract.tier.name == name:
        return tier_of(contract.tier)
    if name == NO_CONTRACT.name:
        return NO_CONTRACT
    raise InvalidInput(words("no tier named '{name}': choose a tier template or the contract's own tier", name=name))


def contract_flags(contract: Contract, sites: Iterable[Site]) -> tuple[str, ...]:
    """What making ``contract`` must flag: each covered site beyond its tier's last distance zone (no committed
    time there; incidents at that site say "by agreement")."""
    tier = contract_tier(contract)
    return tuple(
        f"{site.name}: {flag}"  # kept on the contract as English text
        for site in sites
        if site.id in contract.site_ids
        for flag in distance_flags(tier, Decimal(site.distance_km or 0))
    )


def place_of(reader: Reader, site_id: str | None, contract: Contract | None) -> ServicePlace:
    site = reader.get(Site, site_id) if site_id else None
    distance = site.distance_km if site is not None and site.distance_km is not None else 0
    return ServicePlace(
        timezone=site_timezone(reader, site_id),
        holidays=frozenset(contract.holidays) if contract else frozenset(),
        distance_km=Decimal(distance),
    )


def terms_for(reader: Reader, asset: Asset, received_at: datetime) -> Terms:
    """The terms of an incident on ``asset`` received at ``received_at``."""
    day = site_day(reader, asset.site_id, received_at)
    contract = governing_contract_of(reader, asset, day)
    if contract is not None:
        tier = contract_tier(contract)
    else:
        tier = OWN_WARRANTY_NEW if asset.under_warranty(day) else NO_CONTRACT
    return Terms(contract=contract, tier=tier, place=place_of(reader, asset.site_id, contract))


def ticket_terms(reader: Reader, ticket: Ticket) -> tuple[Tier, ServicePlace]:
    """The tier and place a stored incident's clocks run under now (its tier may have changed since opening)."""
    contract = reader.get(Contract, ticket.contract_id) if ticket.contract_id else None
    return tier_named(ticket.incident().tier_name, contract), place_of(reader, ticket.site_id, contract)


def ticket_clocks(reader: Reader, ticket: Ticket, now: datetime) -> Mapping[Clock, ClockState]:
    """Both clocks of ``ticket`` as of ``now``, recomputed from its whole history (sync/domain/incident.py)."""
    tier, place = ticket_terms(reader, ticket)
    return incident_clocks(ticket.incident(), tier=tier, place=place, now=now)
