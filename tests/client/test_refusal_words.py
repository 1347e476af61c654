"""A refusal's reason in the reader's language, whichever end refused: the domain gives its reason as words
(sync/domain/errors.py), they travel in the error's details, and app/refusals.py says them in the device's language."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from app.i18n import Translator
from app.refusals import explain, explain_rejection
from server.seed import sid
from sync.domain.asset import Asset, Part
from sync.domain.commands import MoveStock
from sync.domain.contract import ServiceModel
from sync.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from sync.domain.incident import Amendment, IncidentStatus, check_transition
from sync.domain.org import Role
from sync.domain.service import Severity
from tests.client.conftest import Device

EN = Translator()
GERMAN = Translator.for_language("de")
VAN = sid("loc", "van-engineer")


def _fan_wall_chassis(d: Device) -> list[Asset]:
    """Chassis on this device whose fan wall takes the van's FW-R-02 spares."""
    return sorted(
        (a for a in d.client.store.all(Asset) if a.part_in("FAN-WALL") and a.sku_id in (sid("sku", "R2"),)),
        key=lambda a: a.serial,
    )


def _swap(d: Device, asset: Asset, spare: Part) -> None:
    d.field.swap_fru(
        asset_id=asset.id,
        slot="FAN-WALL",
        removed_serial=asset.part_in("FAN-WALL") or "",
        installed_serial=spare.serial,
        from_location_id=VAN,
        error_code="E-FAN",
        reason="tach",
    )


def test_one_spare_fitted_offline_on_two_devices_is_refused_by_the_server_in_german(
    device: Callable[[str], Device],
) -> None:
    # One engineer, a phone and a laptop, both offline: each fits the van's same fan wall, in two chassis.
    phone, laptop = device("engineer"), device("engineer")
    first, second = _fan_wall_chassis(phone)[:2]
    spare = next(p for p in phone.client.store.children(Part, VAN) if p.part_number_id == sid("pn", "FW-R-02"))
    _swap(phone, first, spare)
    _swap(laptop, second, spare)  # the laptop has not heard of the phone's swap: accepted on the device
    assert phone.client.sync().rejected == 0

    assert laptop.client.sync().rejected == 1
    (rejection,) = laptop.client.store.rejections()
    assert rejection.code == "part_unavailable"
    assert rejection.message == f"part {spare.serial} is not in stock at the location you are taking it from"
    assert rejection.details["words"] == {
        "template": "part {serial} is not in stock at the location you are taking it from",
        "values": {"serial": spare.serial},
    }
    refusal = explain_rejection(GERMAN, rejection)
    assert refusal.text(GERMAN) == (
        "Der Teiletausch in Steckplatz FAN-WALL wurde abgelehnt: "
        f"Teil {spare.serial} ist am Ort, von dem Sie es nehmen, nicht auf Lager. "
        "Scannen Sie das Teil erneut oder nehmen Sie eines von einem anderen Lagerort."
    )


def test_a_refusal_on_this_device_reads_in_german_and_its_english_message_stays_for_logs(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    chassis = _fan_wall_chassis(d)[0]
    with pytest.raises(NotFound) as refused:
        d.field.swap_fru(
            asset_id=chassis.id,
            slot="FAN-WALL",
            removed_serial=chassis.part_in("FAN-WALL") or "",
            installed_serial="FW-NOBODY-HAS-1",
            from_location_id=VAN,
            error_code="E-FAN",
            reason="tach",
        )
    error = refused.value
    assert error.message == "no spare part FW-NOBODY-HAS-1 that you can see"
    refusal = explain(GERMAN, code=error.code, message=error.message, details=error.details, action="Swap")
    assert refusal.why == "Kein Ersatzteil FW-NOBODY-HAS-1, das Sie sehen können."


def _why(error: DomainError) -> str:
    return explain(GERMAN, code=error.code, message=error.message, details=error.details).why


def test_an_installation_at_a_u_the_rack_does_not_have_reads_in_german(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan("NBR22600001").asset_id
    assert asset_id is not None
    with pytest.raises(InvalidInput) as refused:
        d.field.record_installation(
            asset_id=asset_id,
            rack_id=sid("rack", "fra1", "R02"),
            u_position=60,
            measured_depth_mm=1200,
            rail_kit_id=None,
        )
    assert refused.value.message == "rack R02 has U1 to U42; U60 is not in it"
    refusal = explain(
        GERMAN,
        code=refused.value.code,
        message=refused.value.message,
        details=refused.value.details,
        action="Installation",
    )
    assert refusal.text(GERMAN) == (
        "Einbau wurde abgelehnt: Rack R02 hat die HE U1 bis U42; U60 gehört nicht dazu. "
        "Korrigieren und erneut speichern."
    )


def test_a_stock_move_without_a_reason_reads_in_german(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    spare = next(p for p in d.client.store.children(Part, VAN) if p.part_number_id == sid("pn", "FW-R-02"))
    with pytest.raises(InvalidInput) as refused:
        d.client.store.execute(
            MoveStock(
                from_location_id=VAN,
                to_location_id=sid("loc", "depot"),
                part_number_id=spare.part_number_id,
                quantity=1,
                reason="  ",
                serials=(spare.serial,),
            )
        )
    assert refused.value.message == "a stock move needs a reason"
    assert _why(refused.value) == "Eine Umlagerung braucht einen Grund."


def test_an_incident_amendment_without_a_reason_reads_in_german(device: Callable[[str], Device]) -> None:
    desk = device("desk")
    unit = min((a for a in desk.client.store.all(Asset) if a.site_id), key=lambda a: a.serial)
    incidents = desk.services.incidents
    ticket_id = incidents.open_incident(asset_id=unit.id, symptom="fan noise", severity=Severity.MAJOR)
    with pytest.raises(InvalidInput) as refused:
        incidents.amend(ticket_id, Amendment.CHANGE_SEVERITY, reason=" ", value=Severity.CRITICAL.value)
    assert refused.value.message == "say why: the reason is shown with the clocks"
    assert _why(refused.value) == "Geben Sie einen Grund an: er wird bei den Fristen angezeigt."


def test_a_step_the_role_may_not_take_names_the_step_in_german(device: Callable[[str], Device]) -> None:
    customer = device("customer")
    with pytest.raises(Forbidden) as refused:
        customer.field.swap_fru(
            asset_id="any-chassis",
            slot="FAN-WALL",
            removed_serial="FW-OLD-1",
            installed_serial="FW-NEW-1",
            from_location_id=VAN,
            error_code="E-FAN",
            reason="tach",
        )
    assert refused.value.message == "a customer may not swap a FRU"
    assert _why(refused.value) == "Die Rolle „Kunde“ darf das nicht: eine FRU tauschen."


def test_a_bad_scan_and_a_label_asked_for_too_early_read_in_german_on_the_screen(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    d.state.account.set_language("de")
    d.state.field.scan("   ")
    assert d.state.shell.flash_is_error
    assert d.state.shell.flash == "Keine Seriennummer: die Seriennummer ist leer"

    chassis = _fan_wall_chassis(d)[0]
    rma_id = d.services.rma.draft(asset_id=chassis.id, model=ServiceModel.STANDARD, symptom="no POST")
    assert d.state.home.return_label(rma_id) is None
    assert d.state.shell.flash_is_error
    assert d.state.shell.flash == (
        "Noch keine RMA-Nummer: das Etikett lässt sich drucken, sobald die Freigabe synchronisiert ist."
    )


def test_a_state_or_role_in_a_reason_reads_as_its_label_in_each_language() -> None:
    with pytest.raises(Forbidden) as refused:
        check_transition(IncidentStatus.OPEN, IncidentStatus.RESPONDED, Role.CUSTOMER)
    error = refused.value
    assert error.message == "a customer may not move an incident from “open” to “responded”"
    details = json.loads(json.dumps(error.details))  # as the server sends it
    english, german = (explain(t, code=error.code, message=error.message, details=details) for t in (EN, GERMAN))
    assert english.why == "A customer may not move an incident from “open, no response yet” to “engineer responded”."
    assert german.why == (
        "Die Rolle „Kunde“ darf eine Störung nicht von „Offen, noch keine Reaktion“ "
        "auf „Techniker hat reagiert“ setzen."
    )
