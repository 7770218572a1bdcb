"""``python -m workforce spc``: analyse one series given as JSON on stdin.

Input: {"values": [...], "dates": ["YYYY-MM-DD", ...], "improvement_direction": ...,
"target": n|null, "rebase_dates": [...], "fix_after_n_points": n|null} plus any
rule-profile setting (e.g. "shift_points": 7). Output: SpcResult.to_dict() as JSON.
Bad input gives one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from typing import TextIO

from ..signals.spc.engine import analyse
from ..signals.spc.profile import PRESETS, SETTINGS, profile_from

USAGE_ERROR = 2
SERIES_KEYS = ("values", "dates", "improvement_direction", "target", "rebase_dates",
               "fix_after_n_points")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InputError(ValueError):
    """The JSON on stdin is not a series we can analyse."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=sorted(PRESETS), default="mdc",
                        help="rule profile: mdc (Making Data Count, default) or nhsr "
                             "(NHSRplotthedots); settings in the input override it")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        request = _read_request(stdin.read())
        settings = {k: v for k, v in request.items() if k in SETTINGS}
        result = analyse(
            request["values"],
            request["dates"],
            improvement_direction=request.get("improvement_direction", "increase"),
            target=request.get("target"),
            rebase_dates=request.get("rebase_dates", []),
            fix_after_n_points=request.get("fix_after_n_points"),
            profile=profile_from(getattr(args, "preset", "mdc"), **settings),
        )
    except ValueError as problem:  # InputError, SpcInputError and bad profile settings
        print(f"error: {problem}", file=stderr)
        return USAGE_ERROR
    json.dump(result.to_dict(), stdout)
    stdout.write("\n")
    return 0


def _read_request(text: str) -> dict:
    try:
        request = json.loads(text)
    except json.JSONDecodeError as problem:
        raise InputError(f"input is not valid JSON ({problem})") from None
    if not isinstance(request, dict):
        raise InputError("input must be one JSON object with at least values and dates")
    unknown = sorted(set(request) - set(SERIES_KEYS) - set(SETTINGS))
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r}; allowed keys: "
                         f"{', '.join(SERIES_KEYS + SETTINGS)}")
    for key in ("values", "dates"):
        if not isinstance(request.get(key), list):
            raise InputError(f"{key!r} must be a list")
    _check_values(request["values"])
    for key in ("dates", "rebase_dates"):
        _check_dates(key, request.get(key, []))
    return request


def _check_values(values: list) -> None:
    for i, value in enumerate(values):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise InputError(f"values[{i}] = {value!r} is not a number (use null if missing)")


def _check_dates(key: str, dates) -> None:
    if not isinstance(dates, list):
        raise InputError(f"{key!r} must be a list of dates")
    for i, text in enumerate(dates):
        try:
            if not (isinstance(text, str) and _ISO_DATE.fullmatch(text)):
                raise ValueError
            dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(
                f"{key}[{i}] = {text!r} is not a valid date (use YYYY-MM-DD)") from None
