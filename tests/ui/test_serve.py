"""The launcher's served index.html names the server's base URL, so a deep link's first requests go to
the right place (no /kpi/_stcore/health 404s), and everything else is Streamlit's own files."""

from __future__ import annotations

import os

import pytest

from ui.serve import static_dir_with_base_url


@pytest.fixture()
def static(tmp_path):
    folder = tmp_path / "static"
    (folder / "static").mkdir(parents=True)
    (folder / "index.html").write_text("<html><head><title>x</title></head><body></body></html>")
    (folder / "favicon.png").write_bytes(b"png")
    return folder


@pytest.mark.parametrize("base, expected", [("", 'window.location.origin + "/"'),
                                            ("/dash/", 'window.location.origin + "/dash/"')])
def test_index_names_the_base_url(static, base, expected):
    mirror = static_dir_with_base_url(str(static), base)
    html = open(os.path.join(mirror, "index.html")).read()
    head = html[html.index("<head>"):html.index("<title>")]
    assert "BACKEND_BASE_URL" in head and expected in head  # before any of Streamlit's scripts
    assert os.path.islink(os.path.join(mirror, "favicon.png")) and os.path.islink(os.path.join(mirror, "static"))
    assert open(os.path.join(mirror, "favicon.png"), "rb").read() == b"png"
