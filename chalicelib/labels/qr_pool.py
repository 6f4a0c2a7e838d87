"""QR encoding on every CPU the function has: the mask search (8 trial symbols scored by
ISO/IEC 18004's penalty rules) is ~90 % of a label's cost and pure Python, so a 100,000-label
job encodes in worker processes while the parent writes the PDF.

Workers are forked processes talking over one pipe each (Lambda has no ``/dev/shm``, so
``multiprocessing.Pool`` and ``Queue`` do not work there; ``Process`` and ``Pipe`` do). Chunks
go to the workers in turn and come back in the same turn, so the order never changes, and a
few chunks per worker are kept in flight so neither side waits. The child does nothing but
encode: it takes no lock the parent's other threads might hold (no logging, no imports).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import TypeVar

from chalicelib.labels.qr_codes import QrSymbol, encode

T = TypeVar("T")
IN_FLIGHT_PER_WORKER = 3
MAX_WORKERS = 8


def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _serve(connection: Connection) -> None:  # pragma: no cover - runs in the child
    while True:
        job = connection.recv()
        if job is None:
            connection.close()
            return
        box_mm, urls = job
        connection.send([encode(url, box_mm=box_mm) for url in urls])


class QrPool:
    """``workers`` encoding processes (1: encode in this process, nothing forked)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, min(workers, MAX_WORKERS))
        self._connections: list[Connection] = []
        self._processes: list[multiprocessing.process.BaseProcess] = []

    def __enter__(self) -> QrPool:
        if self.workers > 1:
            context = multiprocessing.get_context("fork")
            for _ in range(self.workers):
                parent, child = context.Pipe()
                process = context.Process(target=_serve, args=(child,), daemon=True)
                process.start()
                child.close()
                self._connections.append(parent)
                self._processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        for connection in self._connections:
            try:
                connection.send(None)
                connection.close()
            except OSError:
                pass
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        self._connections.clear()
        self._processes.clear()

    def encode_chunks(
        self, chunks: Iterable[tuple[list[T], list[str]]], box_mm: float
    ) -> Iterator[tuple[list[T], list[QrSymbol]]]:
        """Each chunk's items with the symbols of its URLs, in the order the chunks came."""
        if not self._connections:
            for items, urls in chunks:
                yield items, [encode(url, box_mm=box_mm) for url in urls]
            return
        pending: deque[tuple[list[T], Connection]] = deque()
        turn = 0
        source = iter(chunks)
        limit = IN_FLIGHT_PER_WORKER * len(self._connections)
        while True:
            for items, urls in islice(source, limit - len(pending)):
                connection = self._connections[turn % len(self._connections)]
                turn += 1
                connection.send((box_mm, urls))
                pending.append((items, connection))
            if not pending:
                return
            items, connection = pending.popleft()
            yield items, connection.recv()
