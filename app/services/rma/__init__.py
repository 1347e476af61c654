"""RMA intents for the engineer and the service desk, one module per job:

- ``drafting``: the draft form, drafting, evidence, submit, answer, the triage checklist;
- ``desk``: the queue, the desk's decisions, shipping a replacement, one RMA's page and its actions;
- ``ledger``: the advance-exchange ledger;
- ``kpis``: the desk's KPIs;
- ``labels``: the return label.

``RmaService`` puts them together for the screens. Every command goes through the store's unit of work, so it works
offline and syncs; a DomainError says why not.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.rma.desk import RmaDesk
from app.services.rma.kpis import DeskKpis
from app.services.rma.labels import ReturnLabels


@dataclass
class RmaService(RmaDesk, DeskKpis, ReturnLabels):
    """Every RMA intent of one device (the jobs share one store, id maker and clock)."""


__all__ = ["RmaService"]
