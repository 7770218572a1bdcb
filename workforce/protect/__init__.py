"""The protected path: what a view covers and what the person looking may see. access (users,
roles, the organisations a user may see, totals refused to them), disclosure (small-number
suppression and rounding), scope (one Scope per view: effective-dated membership, the user's
organisations and refusals; `series` and `latest_values` return only figures that may be shown).

May import: base, measures, signals.
"""
