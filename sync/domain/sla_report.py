"""The SLA attainment report from stored incidents and visits, and its CSV: one report for the desk's KPI card, the
device's export and the server's ``GET /api/v1/reports/sla-attainment.csv``, so all three say the same.

Each incident's clocks are recomputed as of ``now`` under its current tier and severity, in its site's calendar
(sync/domain/incident_terms.py); sync/domain/sla_attainment.py counts them. The CSV has one row per contract × site
× month (the site's month), gives the month's bounds as UTC instants in ISO 8601, and holds counts and percentages
only (no money: penalties are a contract matter, not a figure of this report).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from sync.domain.context import Reader
from sync.domain.contract import Contract
from sync.domain.incident import incident_clocks
from sync.domain.incident_terms import ticket_terms
from sync.domain.org import Organization
from sync.domain.service import Visit
from sync.domain.site import Site
from sync.domain.sla_attainment import AttainmentRow, IncidentClocks, attainment_rows, month_span
from sync.domain.sla_window import aware_utc
from sync.domain.ticket import Ticket

CSV_COLUMNS = (
    "contract_id",
    "contract_number",
    "customer_id",
    "customer",
    "site_id",
    "site",
    "month",
    "month_start_utc",
    "month_end_utc",
    "incidents",
    "response_met",
    "response_missed",
    "response_open",
    "response_attainment_pct",
    "restore_met",
    "restore_missed",
    "restore_open",
    "restore_attainment_pct",
    "visited_fixes",
    "first_time_fixes",
    "first_time_fix_pct",
    "as_of_utc",
)
# A spreadsheet runs a cell starting with one of these as a formula: names typed by people must not.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clocks_of(reader: Reader, ticket: Ticket, *, now: datetime) -> IncidentClocks:
    tier, place = ticket_terms(reader, ticket)
    return IncidentClocks(
        incident_id=ticket.id,
        contract_id=ticket.contract_id,
        customer_id=ticket.org_id,
        site_id=ticket.site_id,
        timezone=place.timezone,
        received_at=ticket.opened_at,
        restored_at=ticket.restored_at,
        clocks=incident_clocks(ticket.incident(), tier=tier, place=place, now=now),
    )


def attainment_report(
    reader: Reader,
    *,
    tickets: Iterable[Ticket],
    visits: Iterable[Visit],
    now: datetime,
    since: datetime | None = None,
) -> list[AttainmentRow]:
    """Attainment rows of the incidents received from ``since`` (None: from the first) up to ``now``, their clocks as
    of ``now``: a report made as of an instant knows nothing received after it."""
    start, end = None if since is None else aware_utc(since), aware_utc(now)
    chosen = [t for t in tickets if (start is None or aware_utc(t.opened_at) >= start) and t.opened_at <= end]
    return attainment_rows([clocks_of(reader, t, now=now) for t in chosen], visits)


def _instant(moment: datetime) -> str:
    return aware_utc(moment).isoformat().replace("+00:00", "Z")


def _percent(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def attainment_csv(reader: Reader, rows: Sequence[AttainmentRow], *, now: datetime) -> str:
    """The rows as CSV (RFC 4180, CRLF), with the names the reader can see beside the ids."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        contract = reader.get(Contract, row.contract_id) if row.contract_id else None
        customer = reader.get(Organization, row.customer_id)
        site = reader.get(Site, row.site_id) if row.site_id else None
        start, end = month_span(row.month, row.timezone)
        f = row.figures
        writer.writerow(
            [
                row.contract_id,
                _text(contract.number) if contract else "",
                row.customer_id,
                _text(customer.name) if customer else "",
                row.site_id,
                _text(site.name) if site else "",
                row.month,
                _instant(start),
                _instant(end),
                f.incidents,
                f.response.met,
                f.response.missed,
                f.response.open,
                _percent(f.response.percent),
                f.restore.met,
                f.restore.missed,
                f.restore.open,
                _percent(f.restore.percent),
                f.visited_fixes,
                f.first_time_fixes,
                _percent(f.first_time_fix_percent),
                _instant(now),
            ]
        )
    return out.getvalue()
