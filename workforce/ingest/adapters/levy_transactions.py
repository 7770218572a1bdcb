"""The apprenticeship service's "download transactions" CSV: one row per transaction.

`Transaction date (dd/MM/yyyy), Transaction type, …, Payroll month, Levy declared, English %, 10% top
up, …, Paid from levy, …, Total,` — header and rows end with a comma. The file names no
organisation (the account is the employer's): it is chosen at load time (`--org CODE`, or on the
Load data page). Transactions are added up by month: `Levy` rows' Total is the funds entering the
account (levy × English % plus the top-up), `Payment` rows' Paid from levy the levy drawn down,
`Transfer` rows' Total the levy transferred, `Expired funds` rows' Total the funds expired. A month
with transactions but none of a type has 0 of it. Money out written negative is read as out.
"""

from .base import Adapter, Column, Melt

ADAPTER = Adapter(
    name="levy_transactions",
    label="Apprenticeship service transaction download",
    columns=(
        Column("period", ("transaction_date",), help="dd/MM/yyyy"),
        Column("type", ("transaction_type",), help="Levy, Payment, Transfer, Expired funds"),
        Column("paid_from_levy", ("paid_from_levy",)),
        Column("total", ("total",)),
        Column("levy_declared", ("levy_declared",), required=False),
    ),
    melts=(Melt("total", "levy_funds_available", type="levy", kind="money"),
           Melt("paid_from_levy", "levy_drawn_down", type="payment", kind="money"),
           Melt("total", "levy_transferred_out", type="transfer", kind="money"),
           Melt("total", "levy_expired", type="expired funds", kind="money")),
    detail_rows=True, absent_is_zero=True, org_at_load=True,
    summary="levy transactions added up by month into funds in, paid from levy, transferred and expired",
)
