"""Which contract governs a unit on a day, what it entitles the unit to, and when a unit owed back is due.

The one home of these rules: handlers (swap, ticket clocks, approval, advance exchange, credit), the device's
screens (entitlement box, ledger, return label) and the demo seed all ask here.

- Dates are the site's calendar days (``site_day``), never UTC dates.
- The governing contract of an asset on a date is, of the contracts in term that list the asset, the one whose sold
  tier is fastest (``tier_rank`` in sync/domain/sla_contract.py: the tier template it names, not the hours a
  contract from before templates carried), ties broken by contract id, so every reader picks the same one whatever
  order it reads them in.
- A return is due a number of business days after the day the replacement ships or the swap happens (that day not
  counted): the governing contract's window, counted in the site's timezone with the contract's working days and
  holidays; without a contract, ten business days Monday to Friday.
- What set a due date (the contract id and the timezone) is stored with it (``ReturnTerms``), so aging the
  obligation later counts business days with the same calendar, whichever contracts have come and gone since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sync.domain.asset import Asset
from sync.domain.calendar import Coverage, ServiceCalendar, add_business_days
from sync.domain.context import Reader
from sync.domain.contract import DEFAULT_CURRENCY, Contract, ServiceModel
from sync.domain.site import Site
from sync.domain.sla_contract import contract_tier, tier_rank
from sync.domain.words import Phrase, words

DEFAULT_RETURN_WINDOW_BUSINESS_DAYS = 10
# Where a record names no site (a spare chassis, a unit never installed), its clocks run in UTC.
DEFAULT_TIMEZONE = "UTC"


def governing_contract(contracts: Iterable[Contract], asset_id: str, on: date) -> Contract | None:
    active = [c for c in contracts if c.covers(asset_id, on)]
    return min(active, key=lambda c: (tier_rank(contract_tier(c)), c.id)) if active else None


def governing_contract_of(reader: Reader, asset: Asset, on: date) -> Contract | None:
    """The governing contract among those the reader can see (contracts hang on the customer, the asset's org)."""
    return governing_contract(reader.children(Contract, asset.org_id), asset.id, on)


def site_timezone(reader: Reader, site_id: str | None) -> str:
    site = reader.get(Site, site_id) if site_id else None
    return site.timezone if site else DEFAULT_TIMEZONE


def site_day(reader: Reader, site_id: str | None, moment: datetime) -> date:
    """The calendar day at the site at ``moment``: contract terms and warranties run by the customer's days, so an
    08:30 call in Tokyo on 1 January falls under a contract that starts that day, though it is still 31 December in
    UTC."""
    return moment.astimezone(ZoneInfo(site_timezone(reader, site_id))).date()


def service_calendar(*, timezone: str, contract: Contract | None) -> ServiceCalendar:
    """The calendar a contract's clocks run on at a site; without a contract, business hours Monday to Friday."""
    if contract is not None:
        return contract.calendar(timezone)
    return ServiceCalendar(timezone=timezone, coverage=Coverage.BUSINESS_HOURS)


def return_window(contract: Contract | None) -> int:
    return contract.return_window_business_days if contract else DEFAULT_RETURN_WINDOW_BUSINESS_DAYS


@dataclass(frozen=True, kw_only=True)
class ReturnTerms:
    """A return's due date and what set it, stored on the obligation (and the RMA) that owes the unit."""

    due_on: date
    contract_id: str | None
    timezone: str
    penalty_cents: int
    currency: str


def return_terms(*, shipped_at: datetime, contract: Contract | None, timezone: str) -> ReturnTerms:
    calendar = service_calendar(timezone=timezone, contract=contract)
    return ReturnTerms(
        due_on=add_business_days(shipped_at, return_window(contract), calendar),
        contract_id=contract.id if contract else None,
        timezone=timezone,
        penalty_cents=contract.unreturned_penalty_cents if contract else 0,
        currency=contract.currency if contract else DEFAULT_CURRENCY,
    )


def return_terms_for(reader: Reader, asset: Asset, *, shipped_at: datetime, site_id: str | None) -> ReturnTerms:
    """The return terms of a unit of ``asset`` shipped or swapped at ``shipped_at`` from ``site_id``."""
    contract = governing_contract_of(reader, asset, site_day(reader, site_id, shipped_at))
    return return_terms(shipped_at=shipped_at, contract=contract, timezone=site_timezone(reader, site_id))


def due_calendar(
    reader: Reader, *, contract_id: str | None, timezone: str | None, site_id: str | None
) -> ServiceCalendar:
    """The calendar that set a stored due date. Records from before the terms were stored (no timezone) fall back
    to the site's timezone and the default calendar."""
    contract = reader.get(Contract, contract_id) if contract_id else None
    return service_calendar(timezone=timezone or site_timezone(reader, site_id), contract=contract)


@dataclass(frozen=True, kw_only=True)
class Entitlement:
    """What a serial is entitled to on a day, with the reasons spelled out for the screen."""

    under_warranty: bool
    contract_id: str | None
    tier: str | None
    models: tuple[ServiceModel, ...]
    reasons: tuple[Phrase, ...]  # for people: each device puts them in its reader's language

    @property
    def covered(self) -> bool:
        return self.under_warranty or self.contract_id is not None


def entitlement(*, asset: Asset, contracts: list[Contract], on: date) -> Entitlement:
    reasons: list[Phrase] = []
    warranty = asset.under_warranty(on)
    if asset.warranty_end is None:
        reasons.append(words("no warranty end date on record"))
    elif warranty:
        reasons.append(words("under warranty until {date}", date=asset.warranty_end.isoformat()))
    else:
        reasons.append(words("warranty ended {date}", date=asset.warranty_end.isoformat()))
    best = governing_contract(contracts, asset.id, on)
    if best is not None:
        sold = contract_tier(best).name  # the tier it is sold as: the name its incidents' clocks show
        reasons.append(
            words(
                "contract {number} ({tier}) until {date}", number=best.number, tier=sold, date=best.ends_on.isoformat()
            )
        )
        return Entitlement(
            under_warranty=warranty,
            contract_id=best.id,
            tier=sold,
            models=best.models,
            reasons=tuple(reasons),
        )
    lapsed = [c for c in contracts if asset.id in c.asset_ids and not c.in_term(on)]
    reasons.extend(
        words("contract {number} not in term ({starts}..{ends})", number=c.number, starts=c.starts_on, ends=c.ends_on)
        for c in lapsed
    )
    if not lapsed:
        reasons.append(words("no service contract covers this serial"))
    models = (ServiceModel.STANDARD, ServiceModel.DEPOT_REPAIR) if warranty else ()
    return Entitlement(under_warranty=warranty, contract_id=None, tier=None, models=models, reasons=tuple(reasons))


# Models only a contract gives; the others stay open to a paid or warranty return whatever the contract says.
CONTRACT_MODELS = frozenset({ServiceModel.ADVANCE_EXCHANGE, ServiceModel.RETURN_FOR_CREDIT})


def models_offered(entitled: Entitlement) -> tuple[ServiceModel, ...]:
    """The models an RMA for this serial may be approved under (in ServiceModel order): every model a return can be
    paid for, and the contract-only ones (advance exchange, return for credit) only when its contract gives them.
    Screens offer exactly these; the approval refuses any other (sync/domain/handlers/rma.py)."""
    return tuple(m for m in ServiceModel if m not in CONTRACT_MODELS or m in entitled.models)


def entitlement_of(reader: Reader, asset: Asset, on: date) -> Entitlement:
    return entitlement(asset=asset, contracts=reader.children(Contract, asset.org_id), on=on)
