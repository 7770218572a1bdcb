"""Every store query in queries/store/ translates for PostgreSQL: each `:name` outside literals and comments
becomes psycopg's `%(name)s`, and none is left behind (a missed one is a syntax error only PostgreSQL sees)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workforce.base.store_backend import _pg_params

STORE_SQL = sorted((Path(__file__).resolve().parents[2] / "queries" / "store").glob("*.sql"))


@pytest.mark.parametrize("path", STORE_SQL, ids=lambda p: p.stem)
def test_every_parameter_is_translated(path):
    text = path.read_text()
    body = re.sub(r"--[^\n]*", "", text)
    body_without_literals = re.sub(r"'(?:[^']|'')*'", "''", body)
    wanted = set(re.findall(r"(?<!:):([A-Za-z_]\w*)", body_without_literals))
    translated = _pg_params(text)
    assert set(re.findall(r"%\((\w+)\)s", translated)) == wanted
    assert not re.search(r"(?<!:):[A-Za-z_]", re.sub(r"'(?:[^']|'')*'", "''", translated).replace("::", ""))


def test_a_comment_with_an_apostrophe_does_not_hide_parameters():
    assert _pg_params("-- months' notes ('YYYY-MM')\nSELECT 1 WHERE a = :a AND b = '50%' AND c::text = :c") \
        == "\nSELECT 1 WHERE a = %(a)s AND b = '50%%' AND c::text = %(c)s"
