"""Numbers and months the way NHS board papers write them: 12.3%, £1.2m, 1,234, Sep 2025, 2025/26."""

from __future__ import annotations

import datetime as dt
import math


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, fmt: str) -> str:
    """A KPI value in its display format; an en dash when there is none."""
    if _missing(value):
        return "–"
    if fmt == "percent1":
        return f"{value:.1f}%"
    if fmt == "percent2":
        return f"{value:.2f}%"
    if fmt == "gbp":
        return format_gbp(value)
    if fmt == "score2":
        return f"{value:.2f}"
    if fmt == "number1":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def as_displayed(value: float, fmt: str) -> float:
    """The value rounded as format_value shows it, so a comparison agrees with what is read."""
    if fmt in ("percent1", "number1"):
        return round(value, 1)
    if fmt in ("percent2", "score2"):
        return round(value, 2)
    if fmt == "gbp":
        divisor, _, decimals = _gbp_style(abs(value))
        return round(value / divisor, decimals) * divisor
    return round(value)


# (from, divisor, suffix, decimals): thresholds sit where rounding would carry into the next style,
# so 9,960 is £10k (never £10.0k) and 999,960 is £1.0m (never £1000k)
GBP_STYLES = ((999_950_000, 1e9, "bn", 1), (999_950, 1e6, "m", 1), (9_950, 1e3, "k", 0), (999.5, 1e3, "k", 1),
              (0, 1, "", 0))


def _gbp_style(size: float) -> tuple[float, str, int]:
    return next((divisor, suffix, decimals) for start, divisor, suffix, decimals in GBP_STYLES if size >= start)


def format_gbp(value: float) -> str:
    """£1.2m, £350k, £8.4k, £900 — as boards write money, one style at every size."""
    sign = "-" if value < 0 else ""
    divisor, suffix, decimals = _gbp_style(abs(value))
    return f"{sign}£{abs(value) / divisor:,.{decimals}f}{suffix}"


def format_difference(value: float | None, fmt: str) -> str:
    """A signed difference from target: +1.2 pts for percentages, +£0.3m for money; one that rounds
    to nothing is unsigned ('0.0 pts', '£0'): no '+0.0 pts better' nor '±0.0 pts'."""
    if _missing(value):
        return "–"
    size = abs(value)
    sign = "" if rounds_to_nothing(value, fmt) else "+" if value > 0 else "−"
    if fmt in ("percent1", "percent2"):
        return f"{sign}{size:.{1 if fmt == 'percent1' else 2}f} pts"
    return sign + format_value(size, fmt)


def rounds_to_nothing(difference: float, fmt: str) -> bool:
    """True when a difference from target shows as zero in the KPI's format (the figure is on target)."""
    return as_displayed(abs(difference), fmt) == 0


def month_label(period: dt.date) -> str:
    """'Sep 2025'."""
    return period.strftime("%b %Y")


def month_name(period: dt.date) -> str:
    """'September 2025'."""
    return period.strftime("%B %Y")


def financial_year(period: dt.date) -> str:
    """NHS financial years start in April: Sep 2025 → '2025/26'."""
    start = period.year if period.month >= 4 else period.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


FIRST_YEAR = 1900


def parse_month(text: str) -> dt.date:
    """'2025-09' → date(2025, 9, 1); ValueError with a plain message otherwise.

    Four-digit years from FIRST_YEAR only: month arithmetic and labels (strftime) fail on year 1."""
    try:
        year, month = str(text).strip().split("-")
        if len(year) != 4 or not year.isdigit() or int(year) < FIRST_YEAR:
            raise ValueError
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValueError(f"'{str(text)[:40]}' is not a month in the form YYYY-MM (from {FIRST_YEAR})") from None


AXIS_UNITS = {"percent1": "%", "percent2": "%", "gbp": "£", "score2": "score", "count": "number",
              "number1": "number"}


def axis_title(label: str, fmt: str) -> str:
    """A chart axis title with its unit: 'Sickness absence rate (%)', 'Levy funds expired (£)',
    'Staff turnover (12-month leaver rate, %)'; a unit the label already names ('Staff engagement
    score', 'Apprenticeship starts as % of headcount') is not repeated."""
    unit = AXIS_UNITS.get(fmt, "")
    if not unit or unit.lower() in label.lower():
        return label
    if label.endswith(")"):  # 'Staff turnover (12-month leaver rate)' → '… leaver rate, %)'
        return f"{label[:-1]}, {unit})"
    return f"{label} ({unit})"


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 file', '3 files', '1,149 problems': a count with its noun, never 'file(s)'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def uk_date(value: dt.date | None) -> str:
    """'5 Nov 2026', the one date format on screens and in downloads."""
    return "" if value is None else f"{value.day} {value:%b %Y}"


def uk_datetime(value: dt.datetime | None) -> str:
    """'5 Nov 2026, 14:05'."""
    return "" if value is None else f"{value.day} {value:%b %Y, %H:%M}"


def first_capital(text: str) -> str:
    """The first letter in capitals and nothing else changed: 'ICB' stays 'ICB' (str.capitalize: 'Icb')."""
    return text[:1].upper() + text[1:]


def code_words(code: str) -> str:
    """An internal code in words: 'special_cause_improvement' → 'Special cause: improvement',
    'common_cause' → 'Common cause', 'rl_text' → 'Rl text'."""
    text = str(code)
    if text.startswith("special_cause_"):
        return "Special cause: " + text.removeprefix("special_cause_").replace("_", " ")
    return first_capital(text.replace("_", " "))  # 'KPI' stays 'KPI'
