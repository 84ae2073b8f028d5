"""The what-if replay of a whole period, with the next chunk read ahead by the database server.

The command and the bench replay every chunk in one go; the background job decides one chunk per
step through `reports.whatif_replay.Replayer.chunk` (its progress bar), so it reads in turn.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection

import engine as e
from mutuelle.bulk import is_postgresql
from reports import whatif_replay as r
from reports.whatif_result import Accumulator


class Ahead:
    """The next chunk's lines computed by the server while this process decides the current one.

    A second connection (autocommit) declares a cursor WITH HOLD over the next chunk's lines, in a
    thread: PostgreSQL runs the join and the sort to the end and keeps the result when the
    statement commits, on its own core, while the thread only waits (one round trip, the GIL free).
    The main thread then fetches the held rows, which arrive at once. Measured on 1,000,000 lines:
    a thread that fetched the rows itself took the GIL back at every packet of the result and
    slowed the engine beside it, and still left a third of the replay waiting (docs/whatif.md).
    """

    CURSOR = "whatif_ahead"

    def __init__(self) -> None:
        self.conn = connection.get_new_connection(connection.get_connection_params())
        self.conn.autocommit = True

    def declare(self, *, after: int, period: r.Period, size: int) -> tuple[int, Any]:
        """In the thread: the next chunk's last member id and its held cursor, computed."""
        with self.conn.cursor() as cur:
            upto = r.boundary_fetch(cur, after=after, period=period, size=size)
        held = self.conn.cursor(name=self.CURSOR, withhold=True)
        held.execute(r.LINES_SQL, r.lines_params(after=after, upto=upto, period=period))
        return upto, held

    def close(self) -> None:
        self.conn.close()


def replay_all(*, period: r.Period, rules: r.Rules, size: int = r.CHUNK_LINES) -> r.Replayer:
    """Every chunk in one go (the command and the bench; the job calls `chunk` once per step).

    On PostgreSQL outside a transaction, the server computes the next chunk's lines (`Ahead`)
    while this process decides the current one; the rows are fetched, and the covers read, here.
    Inside a transaction (the tests, a caller's atomic block) another connection would not see its
    rows: read in turn.
    """
    replayer = r.Replayer(period=period, rules=rules, acc=Accumulator())
    if not is_postgresql() or connection.in_atomic_block:
        after: int | None = 0
        while after is not None:
            after = replayer.chunk(after=after, size=size)
        return replayer
    ahead = Ahead()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="whatif-read") as pool:
            t0 = time.perf_counter()
            read = r.chunk_read(after=0, period=period, size=size)
            replayer.read_seconds += time.perf_counter() - t0
            while read is not None:
                last = read.last
                declared = pool.submit(ahead.declare, after=last, period=period, size=size)
                replayer.replay(read)
                t0 = time.perf_counter()
                upto, held = declared.result()
                with e.gc_paused(), held:  # closed (CLOSE) once fetched
                    rows = held.fetchall()
                    read = r.chunk_of(after=last, upto=upto, rows=rows)
                replayer.read_seconds += time.perf_counter() - t0  # the fetch, the covers, what was not hidden
    finally:
        ahead.close()
    return replayer
