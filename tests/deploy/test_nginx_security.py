"""nginx as the app's front door (issue 18, finding 12): security headers on every answer, no
internal address in any header, a small body limit, and rate limits that answer 429. Requests go
to a cluster rendered from the production template (a do-nothing app behind it, so it starts in
seconds); the sticky-session test in test_nginx.py covers the real app."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.cluster import ROOT, Cluster, Limits, render_nginx_conf

FLOOR_APP = ROOT / "benchmarks" / "floor_app" / "app.py"
HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture(scope="module")
def front(need_nginx: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cluster = Cluster(
        processes=1,
        script=FLOOR_APP,
        prefix=tmp_path_factory.mktemp("front"),
        limits=Limits(rate_per_s=5, burst=10, connections=20),
    )
    with cluster:
        yield cluster.url


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_every_answer_carries_the_security_headers_and_no_internal_address(front: str) -> None:
    for path in ("/", "/_stcore/health"):
        status, headers = _get(front + path)
        assert status == 200
        for name, value in HEADERS.items():
            assert headers.get(name) == value, (path, name)
        assert "X-Baton-Upstream" not in headers
        assert not any("127.0.0.1:" in v for v in headers.values())
        assert headers.get("Server") == "nginx"  # no version


def test_a_large_body_is_refused(front: str) -> None:
    status, _ = _get(front + "/_stcore/health", data=b"x" * (2 * 1024 * 1024))
    assert status == 413


def test_a_flood_from_one_address_is_limited(front: str) -> None:
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: _get(front + "/_stcore/health")[0], range(60)))
    assert statuses.count(429) > 0
    assert statuses.count(200) >= 5  # a burst goes through (earlier tests used some of it)


def test_the_upstream_header_is_only_for_tests_and_benchmarks(tmp_path: Path) -> None:
    production = render_nginx_conf("127.0.0.1:80", [8501], tmp_path)
    assert "X-Baton-Upstream" not in production
    assert "client_max_body_size 1m;" in production
    assert "X-Baton-Upstream" in render_nginx_conf("127.0.0.1:80", [8501], tmp_path, expose_upstream=True)
