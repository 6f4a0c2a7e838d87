"""QR encoding in worker processes gives exactly what encoding in this process gives, in the
order the pages came, and stops its workers when done."""

from __future__ import annotations

import multiprocessing

from chalicelib.labels.qr_codes import encode
from chalicelib.labels.qr_pool import QrPool

URLS = [f"http://portal.test/q/AFDUCUSQGAYDAMBQGAYDCN2U3JNLZ5RY5Y{n:03d}" for n in range(90)]


def pages(size: int) -> list[tuple[list[int], list[str]]]:
    return [
        (list(range(start, min(start + size, len(URLS)))), URLS[start : start + size])
        for start in range(0, len(URLS), size)
    ]


def test_workers_return_every_page_in_order_with_the_same_symbols() -> None:
    expected = [encode(url, box_mm=10) for url in URLS]

    with QrPool(3) as pool:
        started = len(multiprocessing.active_children())
        got = list(pool.encode_chunks(pages(7), 10))

    assert started >= 3
    assert [i for items, _ in got for i in items] == list(range(90))
    assert [s for _, symbols in got for s in symbols] == expected
    assert multiprocessing.active_children() == []


def test_one_worker_encodes_here_and_forks_nothing() -> None:
    with QrPool(1) as pool:
        got = list(pool.encode_chunks(pages(50), 20))
        children = multiprocessing.active_children()

    assert children == []
    assert [s for _, symbols in got for s in symbols] == [encode(u, box_mm=20) for u in URLS]


def test_an_abandoned_run_still_stops_its_workers() -> None:
    with QrPool(2) as pool:
        first = next(iter(pool.encode_chunks(pages(5), 15)))

    assert first[0] == [0, 1, 2, 3, 4]
    assert multiprocessing.active_children() == []
