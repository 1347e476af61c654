"""The ledger ages each obligation on the calendar that set its due date (issue 10's bug: the service took any
in-term contract of the organization and cached one calendar per site, so two customers in one colocation site
shared a calendar).

Thursday 5 March 2026 in Berlin; due Thursday 19 March. Working days after the 5th up to the 19th: 6, 9, 10, 11,
12, 13, 16, 17, 18, 19 = 10; with Tuesday 10 March a holiday, 9. Counted by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from app.adapters.local_store import LocalStore
from app.services.rma import RmaService
from sync import codec
from sync.domain.entity import Entity
from sync.domain.logistics import ReturnObligation
from sync.protocol import WireRecord
from tests.domain.world import BERLIN, CONTRACT, NOW

ACME_CONTRACT = replace(CONTRACT, id="ctr-acme", number="C-ACME", holidays=(date(2026, 3, 10),))
BETA_CONTRACT = replace(CONTRACT, id="ctr-beta", number="C-BETA", org_id="org-beta", asset_ids=("asset-b",))


def obligation(obligation_id: str, org_id: str, contract_id: str | None, timezone: str | None) -> ReturnObligation:
    return ReturnObligation(
        id=obligation_id,
        org_id=org_id,
        serial=f"SN-{obligation_id}",
        source_collection="fru_swaps",
        source_id=f"swap-{obligation_id}",
        site_id=BERLIN.id,
        replacement_serial=None,
        due_on=date(2026, 3, 19),
        contract_id=contract_id,
        timezone=timezone,
    )


def ledger_on(tmp_path: Path, *entities: Entity) -> dict[str, int | None]:
    store = LocalStore(tmp_path / "device.db", clock=lambda: NOW)
    pulled = [
        WireRecord(collection=e.collection, id=e.id, version=n, data=codec.dump(e)) for n, e in enumerate(entities, 1)
    ]
    store.apply_page(pulled, str(len(pulled)), complete=True)
    rows = RmaService(store).ledger()
    store.close()
    return {row.obligation_id: row.business_days_left for row in rows}


def test_two_customers_in_one_site_age_on_their_own_contracts(tmp_path: Path) -> None:
    left = ledger_on(
        tmp_path,
        BERLIN,
        ACME_CONTRACT,
        BETA_CONTRACT,
        obligation("acme", "org-acme", "ctr-acme", "Europe/Berlin"),
        obligation("beta", "org-beta", "ctr-beta", "Europe/Berlin"),
    )
    assert left == {"acme": 9, "beta": 10}


def test_an_obligation_ages_on_the_contract_that_set_it_after_another_one_governs(tmp_path: Path) -> None:
    # The contract with the holiday ended on the 5th; a new one without holidays covers the unit from today.
    ended = replace(ACME_CONTRACT, ends_on=date(2026, 3, 5))
    renewed = replace(CONTRACT, id="ctr-acme-2", number="C-ACME-2", starts_on=date(2026, 3, 5))
    left = ledger_on(tmp_path, BERLIN, ended, renewed, obligation("kept", "org-acme", "ctr-acme", "Europe/Berlin"))
    assert left == {"kept": 9}


def test_an_obligation_stored_before_its_terms_ages_on_the_sites_default_calendar(tmp_path: Path) -> None:
    left = ledger_on(tmp_path, BERLIN, ACME_CONTRACT, obligation("old", "org-acme", None, None))
    assert left == {"old": 10}
