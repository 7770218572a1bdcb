"""Apprenticeship levy account statement by month: funds in, payments, transfers out, expired funds.

A statement made for the dashboard (one row per month, with an organisation code). The
apprenticeship service's own transaction download is levy_transactions.
"""

from .base import Adapter, Column, Melt

ADAPTER = Adapter(
    name="levy",
    label="Apprenticeship levy account statement",
    columns=(
        Column("org_code", ("org_code", "organisation_code", "employer_code")),
        Column("period", ("month", "period", "date", "payroll_month", "statement_month")),
        Column("funds_in", ("funds_in", "levy_funds_in", "funds_available", "levy_funds_available",
                            "funds_entering_account")),
        Column("payments", ("payments", "paid_from_levy", "training_payments", "drawn_down", "levy_drawn_down")),
        Column("transfers_out", ("transfers_out", "transferred_out", "levy_transfers_out"), required=False),
        Column("expired", ("expired_funds", "expired", "funds_expired", "levy_expired"), required=False),
    ),
    melts=(Melt("funds_in", "levy_funds_available", kind="money"), Melt("payments", "levy_drawn_down", kind="money"),
           Melt("transfers_out", "levy_transferred_out", kind="money"), Melt("expired", "levy_expired", kind="money")),
    summary="levy funds in, payments for training, transfers out and expired funds by month",
)
