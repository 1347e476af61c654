"""The parcels of an RMA on its page: carrier and tracking for everyone who can see the RMA, the customer too."""

from __future__ import annotations

import flet as ft

from app.i18n import Translator
from app.services.aftersales_models import RmaPage
from app.ui.views.common import heading, record_row
from sync.domain.logistics import ShipmentDirection


def shipment_rows(t: Translator, page: RmaPage) -> list[ft.Control]:
    rows: list[ft.Control] = []
    for index, line in enumerate(page.shipments):
        way = t("To you") if line.direction is ShipmentDirection.OUTBOUND else t("Back to the depot")
        left = f" · {t('shipped')} {line.shipped_at}" if line.shipped_at else ""
        rows.append(
            record_row(
                f"{line.carrier} · {t('tracking')} {line.tracking}",
                f"{way}: {', '.join(line.serials)}{left}",
                icon=ft.Icons.LOCAL_SHIPPING,
                key=f"rma-shipment-{index}",
            )
        )
    return [heading(t("Shipments")), *rows] if rows else []
