"""Demo incidents in every state, made by replaying real commands through sync/domain at past moments.

Relative to the seed's ``now``: on track, at risk (more than 75 % of a target used) and breached clocks, every pause,
restored and closed incidents (one met, one missed with its breaches recorded), one at a site beyond the last distance
zone (by agreement), at sites in Europe, the US, Tokyo and Sydney. Because every step goes through ``decide``, the
records are exactly what devices and the server would have written; nothing here computes a due time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sync.domain.asset import Asset
from sync.domain.commands import AmendIncident, Command, MoveIncident, OpenTicket, RecordBreach, StartVisit
from sync.domain.entity import Entity
from sync.domain.handlers import decide
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.incident_terms import terms_for, ticket_clocks
from sync.domain.org import Actor, UserProfile
from sync.domain.service import Severity
from sync.domain.sla import Clock
from sync.domain.sla_alerts import breaches_to_record
from sync.domain.ticket import Ticket

E = TypeVar("E", bound=Entity)
S = IncidentStatus
MC, PS_NBD, SP_NBD, CTR = (
    "ProSupport Plus Mission Critical",
    "ProSupport NBD",
    "ServicePac NBD",
    "Foundation call-to-repair",
)


@dataclass
class _World:
    """The seed's records as a command context: the seed sees everything (it writes as the server would)."""

    records: dict[tuple[str, str], Entity]
    actor: Actor
    now: datetime
    by_parent: dict[tuple[str, str], list[Entity]] = field(default_factory=dict)

    def get(self, kind: type[E], record_id: str) -> E | None:
        found = self.records.get((kind.collection, record_id))
        return found if isinstance(found, kind) else None

    def find(self, kind: type[E], natural_key: str) -> E | None:
        return next((e for e in self.records.values() if isinstance(e, kind) and e.natural_key() == natural_key), None)

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        return [e for e in self.by_parent.get((kind.collection, parent_id), []) if isinstance(e, kind)]

    def exists(self, collection: str, record_id: str) -> bool:
        return (collection, record_id) in self.records

    def may_name_blob(self, sha256: str) -> bool:
        return True

    def issue_rma_number(self) -> str | None:
        return None

    def write(self, entities: list[Entity]) -> None:
        for entity in entities:
            self.records[(entity.collection, entity.id)] = entity


# A step: minutes before ``now``, the demo user who takes it, and the command given the ticket id.
Step = tuple[int, str, Callable[[str], Command]]


def _move(to: IncidentStatus, note: str = "") -> Callable[[str], Command]:
    return lambda ticket_id: MoveIncident(ticket_id=ticket_id, to_status=to, note=note)


def _breach(clock: Clock) -> Callable[[str], Command]:
    return lambda ticket_id: RecordBreach(ticket_id=ticket_id, clock=clock)


def _visit(visit_id: str, asset_id: str) -> Callable[[str], Command]:
    return lambda ticket_id: StartVisit(visit_id=visit_id, asset_id=asset_id, ticket_id=ticket_id)


def _open(plan: _Plan, asset: Asset) -> Callable[[str], Command]:
    return lambda ticket_id: OpenTicket(
        ticket_id=ticket_id, asset_id=asset.id, symptom=plan.symptom, severity=plan.severity
    )


@dataclass(frozen=True)
class _Plan:
    key: str
    site_key: str
    tier: str
    severity: Severity
    received_minutes_ago: int
    opener: str
    symptom: str
    steps: tuple[Step, ...] = ()


DAY = 24 * 60
PLANS = (
    _Plan("fra1-on-track", "fra1", MC, Severity.CRITICAL, 8, "desk", "Node unreachable, PSU LEDs off"),
    _Plan("fra1-at-risk", "fra1", MC, Severity.MAJOR, 100, "desk", "Fan wall alarm, fans at 100 %"),
    _Plan(
        "ash1-breached",
        "ash1",
        MC,
        Severity.CRITICAL,
        150,
        "desk",
        "Backplane errors, 4 NVMe drives offline",
        ((100, "admin", _breach(Clock.RESPONSE)),),
    ),
    _Plan("sfo-responded", "sfo-edge", MC, Severity.MAJOR, 120, "desk", "I/O board link flapping", ()),
    _Plan(
        "fra1-open-waiting",
        "fra1",
        PS_NBD,
        Severity.MINOR,
        2 * DAY,
        "customer",
        "Chassis intrusion alert after maintenance",
        ((DAY, "desk", _move(S.OPEN_WAITING_FOR_CUSTOMER, "no answer on the NOC line")),),
    ),
    _Plan(
        "ash1-waiting-customer",
        "ash1",
        PS_NBD,
        Severity.MAJOR,
        3 * DAY,
        "desk",
        "PSU bracket LED amber",
        (
            (3 * DAY - 120, "engineer", _move(S.RESPONDED, "called back")),
            (3 * DAY - 180, "engineer", _move(S.WAITING_FOR_CUSTOMER, "cage access only on Tuesday")),
        ),
    ),
    _Plan(
        "fra1-waiting-parts",
        "fra1",
        PS_NBD,
        Severity.CRITICAL,
        DAY + 120,
        "desk",
        "Riser x16 not detected after reboot",
        (
            (DAY - 240, "engineer", _move(S.RESPONDED, "diagnosed remotely: riser dead")),
            (DAY - 300, "engineer", _move(S.WAITING_FOR_PARTS, "riser ordered from the depot")),
            (
                DAY - 300,
                "engineer",
                lambda t: AmendIncident(
                    ticket_id=t, amendment=Amendment.EXTEND_FOR_PARTS, reason="RS-X16 not in the EU buffer"
                ),
            ),
        ),
    ),
    _Plan("tyo1-at-risk", "tyo1", SP_NBD, Severity.MAJOR, 250, "desk", "BMC unreachable"),
    _Plan(
        "tyo1-breached",
        "tyo1",
        SP_NBD,
        Severity.CRITICAL,
        330,
        "desk",
        "Drive cage backplane fault",
        ((0, "admin", _breach(Clock.RESPONSE)),),
    ),
    _Plan(
        "tyo1-restored",
        "tyo1",
        SP_NBD,
        Severity.MINOR,
        2 * DAY,
        "desk",
        "Fan 2 tach reading zero",
        ((DAY, "desk", _move(S.RESPONDED, "called back")), (120, "desk", _move(S.RESTORED, "fan wall reseated"))),
    ),
    _Plan(
        "ash1-closed",
        "ash1",
        MC,
        Severity.MAJOR,
        5 * DAY,
        "desk",
        "PSU 1 failed",
        (
            (5 * DAY - 60, "engineer", _move(S.RESPONDED)),
            (5 * DAY - 180, "engineer", _move(S.RESTORED, "PSU swapped")),
            (4 * DAY, "desk", _move(S.CLOSED, "customer confirmed")),
        ),
    ),
    _Plan(
        "fra1-closed-late",
        "fra1",
        MC,
        Severity.CRITICAL,
        4 * DAY,
        "desk",
        "Whole chassis down after power event",
        (
            (4 * DAY - 120, "engineer", _move(S.RESPONDED)),
            (4 * DAY - 420, "engineer", _move(S.RESTORED, "backplane and PSU bracket replaced")),
            (3 * DAY, "admin", _breach(Clock.RESPONSE)),
            (3 * DAY, "admin", _breach(Clock.RESTORE)),
            (3 * DAY, "desk", _move(S.CLOSED, "customer confirmed")),
        ),
    ),
    _Plan("syd-by-agreement", "syd-edge", SP_NBD, Severity.MAJOR, 60, "desk", "Edge node overheating"),
    _Plan("sfo-ctr-at-risk", "sfo-edge", CTR, Severity.CRITICAL, 100, "customer", "Edge GPU node reboot loop"),
)


def _breached(world: _World, ticket_id: str, clock: Clock) -> bool:
    """Whether RecordBreach would take ``clock`` now: the rule the handler and the sweep ask (sla_alerts)."""
    ticket = world.get(Ticket, ticket_id)
    return ticket is not None and clock in breaches_to_record(ticket_clocks(world, ticket, world.now), frozenset())


def seed_incidents(
    entities: list[Entity],
    *,
    user_ids: dict[str, str],
    site_ids: dict[str, str],
    now: datetime,
    make_id: Callable[..., str],
) -> list[Entity]:
    """The demo incidents (and the visits that responded to them), on chassis of the tier each plan names; a plan
    whose site has no such chassis (a small seed) takes another chassis there and whatever tier governs it, and is only
    opened."""
    profiles = {e.id: e for e in entities if isinstance(e, UserProfile)}
    actors = {
        name: Actor(user_id=uid, org_id=profiles[uid].org_id, role=profiles[uid].role, device_id="seed")
        for name, uid in user_ids.items()
    }
    world = _World(records={(e.collection, e.id): e for e in entities}, actor=actors["desk"], now=now)
    for e in entities:
        parent = e.parent_key()
        if parent:
            world.by_parent.setdefault((e.collection, parent), []).append(e)
    assets = [e for e in entities if isinstance(e, Asset) and e.site_id]
    used: set[str] = set()
    written: dict[tuple[str, str], Entity] = {}
    for plan in PLANS:
        received = now - timedelta(minutes=plan.received_minutes_ago)
        at_site = [a for a in assets if a.site_id == site_ids[plan.site_key] and a.id not in used]
        if plan.opener == "customer":
            at_site = [a for a in at_site if a.org_id == actors["customer"].org_id]
        fitting = [a for a in at_site if terms_for(world, a, received).tier.name == plan.tier]
        asset = next(iter(fitting or at_site), None)
        if asset is None:
            continue
        used.add(asset.id)
        ticket_id = make_id("ticket", plan.key)
        steps: list[Step] = [(plan.received_minutes_ago, plan.opener, _open(plan, asset))]
        # The plan's later steps are timed for its tier (a breach recorded, a parts pause the tier allows); under
        # another tier (a small seed) they may not hold, so such an incident stays as opened.
        if fitting:
            steps += plan.steps
        if fitting and plan.key == "sfo-responded":
            steps.append((70, "engineer", _visit(make_id("visit", plan.key), asset.id)))
        for minutes_ago, user, make in steps:
            world.actor, world.now = actors[user], now - timedelta(minutes=minutes_ago)
            command = make(ticket_id)
            if isinstance(command, RecordBreach) and not _breached(world, ticket_id, command.clock):
                # On a business-hours calendar whether a clock has run out depends on the hour the seed runs (make
                # demo seeds at the real now; TYO1's 9×5 clock stands still at night): one not due yet is left to
                # the server's sweep, which records it when it falls due, as for any incident.
                continue
            out = decide(command, world)
            world.write(out)
            written.update({(e.collection, e.id): e for e in out})
    return list(written.values())
