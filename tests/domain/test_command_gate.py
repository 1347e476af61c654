"""The gate every command passes in ``decide`` before its own rule: text limits, create-only ids, nameable blobs;
and the small validations issue 9 found missing (negative depth, a U the rack lacks, a colleague's van, a path in a
file name, installed parts left at the old site)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sync.domain.asset import Part, PartLocation
from sync.domain.commands import (
    AddNote,
    AttachPhoto,
    DraftRma,
    EditAsset,
    EndVisit,
    FieldChange,
    MoveStock,
    OpenTicket,
    RecordInstallation,
    RegisterAsset,
    SwapFru,
)
from sync.domain.contract import ServiceModel
from sync.domain.errors import AlreadyExists, Forbidden, InvalidInput
from sync.domain.evidence import PhotoKind
from sync.domain.handlers import decide
from sync.domain.org import Role
from sync.domain.service import Severity
from sync.domain.site import Rack
from sync.domain.stock import StockLocation, StockLocationKind
from tests.domain.world import ASSET, FAN, FAN_OLD, OTHER_VAN, SHA_A, SHA_B, VAN, VISIT, level, world


def note(text: str, note_id: str = "note-new") -> AddNote:
    return AddNote(note_id=note_id, subject_collection="assets", subject_id=ASSET.id, text=text)


# text limits ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "field", "limit"),
    [
        (note("x" * 8001), "text", 8000),
        (
            OpenTicket(ticket_id="t-new", asset_id=ASSET.id, symptom="s" * 4001, severity=Severity.MINOR),
            "symptom",
            4000,
        ),
        (
            DraftRma(
                rma_id="r-new", asset_id=ASSET.id, model=ServiceModel.STANDARD, symptom="x", repro_steps="r" * 8001
            ),
            "repro_steps",
            8000,
        ),
        (
            AttachPhoto(
                photo_id="p-new",
                subject_collection="assets",
                subject_id=ASSET.id,
                sha256=SHA_A,
                thumbnail_sha256=None,
                kind=PhotoKind.LABEL,
                caption="c" * 501,
            ),
            "caption",
            500,
        ),
        (EndVisit(visit_id=VISIT.id, notes="n" * 8001), "notes", 8000),
        (
            EditAsset(
                asset_id=ASSET.id,
                base_version=None,
                changes=(FieldChange(field="notes", base_value="", new_value="v" * 8001),),
            ),
            "changes[0].new_value",
            8000,
        ),
        (
            RegisterAsset(asset_id="a-new", serial="S" * 201, sku_id="sku-2u", revision="B", owner_org_id="org-acme"),
            "serial",
            200,
        ),
    ],
)
def test_a_text_over_its_limit_is_refused_naming_the_field(command: object, field: str, limit: int) -> None:
    ctx = world()
    with pytest.raises(InvalidInput) as refused:
        decide(command, ctx)  # type: ignore[arg-type]
    assert refused.value.details == {
        "field": field,
        "limit": limit,
        "words": {
            "template": "{field} is {length} characters long; at most {limit} are allowed",
            "values": {"field": field, "length": limit + 1, "limit": limit},
        },
    }


def test_a_text_at_its_limit_is_accepted() -> None:
    (written,) = decide(note("x" * 8000), world())
    assert len(written.text) == 8000  # type: ignore[attr-defined]


def test_a_list_with_more_than_a_hundred_entries_is_refused() -> None:
    move = MoveStock(
        from_location_id=VAN.id,
        to_location_id=OTHER_VAN.id,
        part_number_id=FAN.id,
        quantity=101,
        reason="x",
        serials=tuple(f"S{i}" for i in range(101)),
    )
    with pytest.raises(InvalidInput) as refused:
        decide(move, world(Role.DEPOT))
    assert refused.value.details == {
        "field": "serials",
        "limit": 100,
        "words": {
            "template": "{field} has {count} entries; at most {limit} are allowed",
            "values": {"field": "serials", "count": 101, "limit": 100},
        },
    }


# create only creates -------------------------------------------------------------------------------------------------
def test_a_create_naming_a_visible_records_id_is_refused_and_the_record_kept() -> None:
    ctx = world()
    ctx.apply(decide(note("first", note_id="note-1"), ctx))
    with pytest.raises(AlreadyExists) as refused:
        decide(note("overwrite", note_id="note-1"), ctx)
    assert refused.value.code == "already_exists"
    assert ctx.records[("notes", "note-1")].text == "first"  # type: ignore[attr-defined]


def test_a_create_naming_an_id_the_caller_cannot_see_is_refused_without_saying_whose() -> None:
    ctx = world()
    ctx.unseen.add(("rmas", "rma-of-another-org"))
    draft = DraftRma(rma_id="rma-of-another-org", asset_id=ASSET.id, model=ServiceModel.STANDARD, symptom="x")
    with pytest.raises(AlreadyExists) as refused:
        decide(draft, ctx)
    assert refused.value.details == {
        "collection": "rmas",
        "id": "rma-of-another-org",
        "words": {
            "template": "the new record's id '{id}' is taken; make the {kind} again with a new id",
            "values": {"id": "rma-of-another-org", "kind": "rma"},
        },
    }
    assert "org" not in refused.value.message.replace("rma-of-another-org", "")


def test_a_swap_naming_an_existing_obligation_is_refused() -> None:
    ctx = world()
    ctx.unseen.add(("return_obligations", "obligation-of-another-org"))
    swap = SwapFru(
        swap_id="swap-new",
        asset_id=ASSET.id,
        visit_id=None,
        slot="fan",
        removed_serial="FAN-OLD",
        installed_serial="FAN-NEW",
        from_location_id=VAN.id,
        error_code="",
        reason="noisy",
        obligation_id="obligation-of-another-org",
    )
    with pytest.raises(AlreadyExists):
        decide(swap, ctx)


# blobs ---------------------------------------------------------------------------------------------------------------
def test_a_photo_may_not_name_a_blob_the_caller_may_not_name() -> None:
    ctx = world()
    ctx.foreign_blobs.add(SHA_B)
    attach = AttachPhoto(
        photo_id="p-new",
        subject_collection="assets",
        subject_id=ASSET.id,
        sha256=SHA_A,
        thumbnail_sha256=SHA_B,
        kind=PhotoKind.LABEL,
    )
    with pytest.raises(Forbidden) as refused:
        decide(attach, ctx)
    assert refused.value.details == {
        "sha256": SHA_B,
        "words": {
            "template": "a record may only name a blob your organization uploaded or can already see",
            "values": {},
        },
    }


def test_a_signature_may_not_name_a_blob_the_caller_may_not_name() -> None:
    ctx = world()
    ctx.foreign_blobs.add(SHA_B)
    with pytest.raises(Forbidden):
        decide(EndVisit(visit_id=VISIT.id, signed_by="Ann", signature_sha256=SHA_B), ctx)


def test_a_file_name_with_a_path_is_refused_not_trimmed() -> None:
    attach = AttachPhoto(
        photo_id="p-new",
        subject_collection="assets",
        subject_id=ASSET.id,
        sha256=SHA_A,
        thumbnail_sha256=None,
        kind=PhotoKind.LOG,
        media_type="text/plain; charset=utf-8",
        file_name="../../etc/passwd",
        size=10,
    )
    with pytest.raises(InvalidInput):
        decide(attach, world())


# small validations ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [0, -500])
def test_an_rma_with_a_rack_depth_that_is_not_positive_is_refused(depth: int) -> None:
    draft = DraftRma(rma_id="r-new", asset_id=ASSET.id, model=ServiceModel.STANDARD, symptom="x", rack_depth_mm=depth)
    with pytest.raises(InvalidInput):
        decide(draft, world())


@pytest.mark.parametrize(("u", "refused"), [(0, True), (1, False), (42, False), (43, True), (500, True)])
def test_an_installation_at_a_u_the_rack_does_not_have_is_refused(u: int, refused: bool) -> None:
    # The fixed world's rack R1 has 42 U.
    install = RecordInstallation(
        installation_id="i-new",
        asset_id=ASSET.id,
        rack_id="rack-1",
        u_position=u,
        measured_depth_mm=800,
        rail_kit_id=None,
    )
    if refused:
        with pytest.raises(InvalidInput):
            decide(install, world())
    else:
        assert decide(install, world())[0].u_position == u  # type: ignore[attr-defined]


def test_installed_parts_move_to_the_chassis_new_site() -> None:
    ctx = world()
    tokyo_rack = Rack(id="rack-t", org_id="org-acme", site_id="site-tyo", name="T1", height_u=42, mounting_depth_mm=800)
    ctx.put(tokyo_rack, replace(FAN_OLD, site_id="site-ber"))
    install = RecordInstallation(
        installation_id="i-new",
        asset_id=ASSET.id,
        rack_id="rack-t",
        u_position=5,
        measured_depth_mm=800,
        rail_kit_id=None,
    )
    written = decide(install, ctx)
    moved = [e for e in written if isinstance(e, Part)]
    assert [(p.serial, p.site_id, p.location, p.location_id) for p in moved] == [
        ("FAN-OLD", "site-tyo", PartLocation.INSTALLED, ASSET.id)
    ]


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("van-1", "buffer", True),  # out of my own van
        ("buffer", "van-1", True),  # into my own van
        ("van-2", "van-1", False),  # out of a colleague's van into mine
        ("van-1", "van-2", False),  # out of mine into a colleague's
        ("buffer", "depot", False),  # between two shared locations: the depot's job
    ],
)
def test_an_engineer_moves_stock_only_into_or_out_of_their_own_van(source: str, target: str, allowed: bool) -> None:
    ctx = world()
    colleague = replace(OTHER_VAN, holder_user_id="u-colleague")
    buffer = StockLocation(id="buffer", org_id="org-oem", name="Buffer", kind=StockLocationKind.REGIONAL_BUFFER)
    depot = StockLocation(id="depot", org_id="org-oem", name="Depot", kind=StockLocationKind.DEPOT)
    ctx.put(colleague, buffer, depot, level(colleague, FAN, 2), level(buffer, FAN, 2))
    move = MoveStock(from_location_id=source, to_location_id=target, part_number_id=FAN.id, quantity=1, reason="x")
    if allowed:
        assert decide(move, ctx)
    else:
        with pytest.raises(Forbidden):
            decide(move, ctx)
