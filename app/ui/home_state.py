"""The home screen's state: the signed-in role's home (app/services/homes.py), the desk's filter, the case or order
picked on a wide screen, and the downloads a customer takes from home (return labels, visit reports)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import flet as ft

from app.bootstrap import Services
from app.services.home_models import DeskFilter, HomeKind, HomePage
from app.services.homes import HomeService
from app.services.saved_files import LABELS
from app.ui import theme
from app.ui.aftersales_state import AfterSalesState
from app.ui.field_state import FieldState
from app.ui.shell import Shell, intent
from sync.domain.errors import DomainError
from sync.domain.rma import RmaStatus

REPORTS = "reports"


@dataclass
class HomeState(ft.Observable):
    shell: Shell
    services: Services
    field_state: FieldState
    after: AfterSalesState
    page: HomePage | None = None
    desk_filter: DeskFilter = DeskFilter()
    # On a wide screen a list and the picked record sit side by side; on a phone a tap opens the record's screen.
    width: float = 400.0
    picked_case: str | None = None
    picked_order: str | None = None

    @property
    def wide(self) -> bool:
        return self.width >= theme.WIDE

    def _service(self) -> HomeService:
        return HomeService(store=self.services.field.store, depot=self.services.depot)

    def refresh(self) -> None:
        self.page = self._service().page(self.desk_filter)

    def reset(self) -> None:
        self.page, self.desk_filter, self.picked_case, self.picked_order = None, DeskFilter(), None, None

    @intent("Layout")
    def set_width(self, width: float | None) -> None:
        if width:
            self.width = float(width)

    # the desk's filter ------------------------------------------------------------------------------------------
    @intent("Search")
    def search(self, text: str) -> None:
        self._filter(replace(self.desk_filter, text=text))

    @intent("Filter")
    def filter_by(self, what: str, value: str | None) -> None:
        """``what``: customer, site, status or owner; None or "" clears it."""
        chosen, now = value or None, self.desk_filter
        if what == "status":
            self._filter(replace(now, status=RmaStatus(chosen) if chosen else None))
        elif what == "customer":
            self._filter(replace(now, customer_id=chosen))
        elif what == "site":
            self._filter(replace(now, site_id=chosen))
        elif what == "owner":
            self._filter(replace(now, owner_id=chosen))
        else:
            raise ValueError(f"no filter {what!r}")

    @intent("Filter")
    def clear_filters(self) -> None:
        self._filter(DeskFilter())

    def _filter(self, chosen: DeskFilter) -> None:
        self.desk_filter = chosen
        self.refresh()

    # opening records ---------------------------------------------------------------------------------------------
    @intent("Opening the RMA")
    def open_case(self, rma_id: str) -> None:
        """A tap on a case: on a wide desk it is shown beside the queue; otherwise its RMA screen opens."""
        page = self.page
        if self.wide and page is not None and page.kind is HomeKind.DESK:
            self.picked_case = rma_id
            return
        self.open_case_page(rma_id)

    @intent("Opening the RMA")
    def open_case_page(self, rma_id: str) -> None:
        """The RMA's own screen: under the queue for the desk, under its chassis for everyone else."""
        page = self.page
        if page is not None and page.kind is HomeKind.DESK:
            self.after.open_desk()
            self.after.open_rma(rma_id)
            return
        case = next((c for c in page.cases if c.rma_id == rma_id), None) if page else None
        if case is not None:
            self.field_state.open_asset(case.asset_id)
            self.after.open_rma(rma_id)

    @intent("Opening the RMA")
    def open_queue_row(self, rma_id: str) -> None:
        """A tap in the desk's RMA queue: on a wide screen it is shown beside the queue; otherwise its screen opens."""
        if self.wide:
            self.picked_case = rma_id
            return
        self.after.open_rma(rma_id)

    @intent("Opening the depot order")
    def open_order(self, order_id: str) -> None:
        if self.wide:
            self.picked_order = order_id
            return
        self.after.open_order(order_id)

    # downloads ---------------------------------------------------------------------------------------------------
    @intent("Return label")
    def return_label(self, rma_id: str) -> bytes | None:
        """The return label PDF, also kept on the device so it can be printed again offline."""
        rma = self.services.rma
        try:
            data = rma.return_label(rma_id)
        except DomainError as err:
            self.shell.say(self.shell.reason(err), error=True)
            return None
        number = rma.page(rma_id).number or rma_id
        target = self.services.files.keep(LABELS, f"{number}.pdf", data)
        self.shell.say(self.shell.t("Return label {number} saved: {path}", number=number, path=str(target)))
        return data

    @intent("Visit report")
    def report_file(self, visit_id: str) -> bytes | None:
        """A visit report as a text file, kept on the device as well."""
        try:
            report = self.services.field.visit_report(visit_id)
        except DomainError as err:
            self.shell.say(self.shell.reason(err), error=True)
            return None
        t = self.shell.t
        data = ("\n".join(t.phrase(line) for line in report.lines()) + "\n").encode()
        target = self.services.files.keep(REPORTS, f"visit-{report.serial}-{visit_id[:8]}.txt", data)
        self.shell.say(self.shell.t("Visit report saved: {path}", path=str(target)))
        return data
