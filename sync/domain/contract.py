"""Service contracts: which serials are covered, by which tier, with which service models, until when.

Which contract governs a unit, its entitlement and return due dates are decided in sync/domain/coverage.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from sync.domain.calendar import MONDAY_TO_FRIDAY, Coverage, ServiceCalendar
from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import InvalidInput
from sync.domain.sla_catalogue import template
from sync.domain.words import words


class ServiceModel(StrEnum):
    STANDARD = "standard"
    ADVANCE_EXCHANGE = "advance_exchange"
    RETURN_FOR_CREDIT = "return_for_credit"
    DEPOT_REPAIR = "depot_repair"
    ON_SITE = "on_site"


@dataclass(frozen=True, kw_only=True)
class ServiceTier:
    name: str
    response_hours: float
    restore_hours: float
    coverage: Coverage
    day_start: time = time(8, 0)
    day_end: time = time(18, 0)

    def __post_init__(self) -> None:
        if self.response_hours <= 0 or self.restore_hours < self.response_hours:
            raise InvalidInput(
                words("tier {tier}: restore must not come before response, both positive", tier=self.name)
            )


DEFAULT_PACKAGING_RULES = (
    "Use the original packaging or the replacement's box; foam inserts in place",
    "Unit in an ESD bag; no loose screws or rails inside the chassis",
    "Rails, screws and accessories in the box (return for credit needs the complete kit)",
    "Stick this label on the outside; one unit per box",
)


# Contracts and obligations stored before amounts carried their currency were all in euros.
DEFAULT_CURRENCY = "EUR"


@dataclass(frozen=True, kw_only=True)
class UnitPrice:
    """What the customer paid for a SKU or a part number: the base of a return-for-credit."""

    item_id: str
    cents: int

    def __post_init__(self) -> None:
        if self.cents < 0:
            raise InvalidInput(words("a price cannot be negative"))


@dataclass(frozen=True, kw_only=True)
class Contract(Entity):
    """``org_id`` is the customer. Covered assets are listed by id; sites let field engineers there see the tier."""

    collection = "contracts"

    parent_key_field = "org_id"

    number: str
    tier: ServiceTier
    models: tuple[ServiceModel, ...]
    starts_on: date
    ends_on: date
    asset_ids: tuple[str, ...] = ()
    site_ids: tuple[str, ...] = ()
    holidays: tuple[date, ...] = ()
    return_window_business_days: int = 10
    unreturned_penalty_cents: int = 0
    restocking_fee_percent: int = 15
    credit_claim_window_days: int = 30
    prices: tuple[UnitPrice, ...] = ()
    packaging_rules: tuple[str, ...] = DEFAULT_PACKAGING_RULES
    # Where returns go, printed on the return label; empty: the OEM's depot site.
    return_address: str = ""
    # The SLA tier template the contract is sold as (sync/domain/sla_catalogue.py): its incidents' clocks run under
    # it. None: the clocks read ``tier``'s hours (sync/domain/sla_contract.py), as contracts did before templates.
    tier_template: str | None = None
    # What was flagged when the contract was made (a covered site beyond the last distance zone, ...).
    flags: tuple[str, ...] = ()
    # The ISO 4217 code of every amount in the contract (prices, penalties): an amount is never shown without it.
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise InvalidInput(words("contract {number} ends before it starts", number=self.number))
        if self.tier_template is not None:
            template(self.tier_template)  # a name the catalogue does not have is refused here
        if not (len(self.currency) == 3 and self.currency.isascii() and self.currency.isupper()):
            raise InvalidInput(
                words("contract {number}: currency must be an ISO 4217 code such as EUR", number=self.number)
            )

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id), *(site_scope(s) for s in self.site_ids)})

    natural_key_field = "number"

    def in_term(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on

    def covers(self, asset_id: str, on: date) -> bool:
        return asset_id in self.asset_ids and self.in_term(on)

    def price_of(self, item_id: str) -> int | None:
        return next((p.cents for p in self.prices if p.item_id == item_id), None)

    def calendar(self, timezone: str) -> ServiceCalendar:
        return ServiceCalendar(
            timezone=timezone,
            coverage=self.tier.coverage,
            day_start=self.tier.day_start,
            day_end=self.tier.day_end,
            workdays=MONDAY_TO_FRIDAY,
            holidays=frozenset(self.holidays),
        )
