"""Text that came from a URL, a file or a person, made safe to show or to export.

`escape` is the one function every page, pack and message uses before such text meets markdown or
HTML: it shows the text as typed, never as a link, image, icon, colour, formula or heading.
Markdown escaping alone is not enough in Streamlit: links are also made from bare `www.`, `http://`
and e-mail addresses *after* backslash escapes are resolved, and `:material/…:`, `:red[…]` and
emoji codes are read from plain text. An invisible word joiner (U+2060) after every `:` and `@` and
inside `www.` breaks those patterns without changing what the reader sees.

`neutralise_cell` / `neutralise_frame` stop a spreadsheet treating an exported cell as a formula
(`=HYPERLINK(…)`, `+cmd…`, `-2+3`, `@SUM(…)`, or one led by a tab or carriage return): such text
cells get a leading apostrophe, as OWASP advises for CSV injection. Numbers are left as numbers.
"""

from __future__ import annotations

import html
import re
from typing import Literal

import pandas as pd

WORD_JOINER = "\u2060"
MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|~<>$=")
# C0/C1 controls except tab and newline, and the bidirectional overrides that reorder what is shown
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+%?")   # '-3.2%' is a figure, not a formula


def clip(text: object, limit: int | None) -> str:
    """At most `limit` characters, with an ellipsis when cut (echoed input never floods a message)."""
    value = str(text)
    return value if limit is None or len(value) <= limit else value[:limit] + "…"


def without_controls(text: object) -> str:
    """Text for a terminal: no escape sequences or direction overrides from a file or a person."""
    return _HIDDEN.sub("", str(text))


def escape(text: object, into: Literal["markdown", "html"] = "markdown", limit: int | None = None) -> str:
    """Text shown exactly as written inside markdown (st.markdown, st.warning…) or our own HTML."""
    value = _HIDDEN.sub("", clip(text, limit))
    if into == "html":
        return html.escape(value, quote=True).replace("\n", "<br>")
    value = html.escape(value, quote=False)
    out = []
    for char in value:
        out.append("\\" + char if char in MARKDOWN_SPECIAL else char)
        if char in ":@":
            out.append(WORD_JOINER)
    return re.sub(r"(?i)(www)(\\\.)", rf"\1{WORD_JOINER}\2", "".join(out))


def neutralise_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised; numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_datetime64_any_dtype(out[column])):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out
