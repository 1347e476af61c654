"""Screens offer only what the contract allows: the desk's approval lists the service models the serial may be
approved under (sync/domain/coverage.py ``models_offered``), and the approval of each offered model goes through,
while one not offered is refused (the screen never offers it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.bootstrap import Client
from app.i18n import Translator
from app.refusals import explain
from app.services.rma import RmaService
from server.seed import sid
from sync.domain.contract import ServiceModel
from sync.domain.errors import Forbidden
from sync.domain.rma import Rma, RmaLane, RmaStatus

M = ServiceModel


@pytest.fixture
def desk(enrolled: Callable[[str], Client]) -> tuple[Client, RmaService]:
    client = enrolled("desk")
    client.sync()
    return client, RmaService(store=client.store)


def test_the_approval_offers_advance_exchange_only_to_a_serial_whose_contract_gives_it(
    desk: tuple[Client, RmaService],
) -> None:
    client, service = desk
    # The demo's advance-exchange RMA: its chassis is on the contract that gives advance exchange.
    exchange = service.page(sid("rma", "exchange"))
    assert exchange.approval_models == (M.STANDARD, M.ADVANCE_EXCHANGE, M.DEPOT_REPAIR, M.ON_SITE)
    # The demo's RMA in triage (seeded per status, index 2): its chassis has a contract without advance exchange.
    plain_id = sid("rma", 2)
    plain = service.page(plain_id)
    assert plain.status is RmaStatus.TRIAGE
    # Its contract gives neither advance exchange nor return for credit.
    assert plain.approval_models == (M.STANDARD, M.DEPOT_REPAIR, M.ON_SITE)
    # What the screen no longer offers is what the domain refuses (it used to be offered, then refused at approval).
    with pytest.raises(Forbidden, match="not entitled to “advance_exchange”") as refused:
        service.approve(plain_id, lane=RmaLane.REPLACE, model=M.ADVANCE_EXCHANGE)
    # Its reason names the models by their labels, in the reader's language.
    error = refused.value
    serial = error.message.split()[0]
    assert error.message == f"{serial} is not entitled to “advance_exchange” (offered: depot_repair, standard)"
    assert explain(
        Translator.for_language("de"), code=error.code, message=error.message, details=error.details
    ).why == (f"{serial} hat keinen Anspruch auf „Vorabaustausch“ (angeboten: Depotreparatur, Standard).")
    with pytest.raises(Forbidden, match="not entitled to “return_for_credit”"):
        service.approve(plain_id, lane=RmaLane.CREDIT, model=M.RETURN_FOR_CREDIT)
    service.approve(plain_id, lane=RmaLane.REPAIR, model=M.DEPOT_REPAIR)
    approved = client.store.get(Rma, plain_id)
    assert approved is not None and (approved.status, approved.model) == (RmaStatus.APPROVED, M.DEPOT_REPAIR)
