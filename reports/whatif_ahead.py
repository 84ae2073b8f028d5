"""The what-if replay of a whole period, with the next chunk read ahead by the database server.

The command and the bench replay every chunk in one go; the background job decides one chunk per
step through `reports.whatif_replay.Replayer.chunk` (its progress bar), so it reads in turn.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from django.db import connection

import engine as e
from mutuelle.bulk import is_postgresql
from reports import whatif_replay as r
from reports.whatif_read import (
    CHUNK_LINES,
    LINES_SQL,
    Around,
    Period,
    around_fetch,
    boundary_fetch,
    chunk_of,
    chunk_read,
    first_chunk_size,
    lines_params,
)
from reports.whatif_result import Accumulator


class Declared(NamedTuple):
    upto: int  # the chunk's last member id
    held: Any  # its lines' held cursor, computed by the server, to fetch
    around: Around  # its members, covers and long-term illnesses, read


class Ahead:
    """The next chunk computed by the server while this process decides the current one.

    A second connection (autocommit) declares a cursor WITH HOLD over the next chunk's lines, in a
    thread: PostgreSQL runs the join and the sort to the end and keeps the result when the
    statement commits, on its own core, while the thread only waits (one round trip, the GIL free).
    The main thread then fetches the held rows, which arrive at once. Measured on 1,000,000 lines:
    a thread that fetched the rows itself took the GIL back at every packet of the result and
    slowed the engine beside it, and still left a third of the replay waiting (docs/whatif.md).
    The chunk's members, covers and long-term illnesses (four small queries, a few packets each)
    the thread does read itself: their round trips were a tenth of the replay in the main thread.
    """

    CURSOR = "whatif_ahead"

    def __init__(self) -> None:
        self.conn = connection.get_new_connection(connection.get_connection_params())
        self.conn.autocommit = True
        # One core for the server's share: a parallel plan's workers would take the decider's core
        # from it while it runs the engine (measured: the engine a fifth slower beside them).
        self.conn.execute("SET max_parallel_workers_per_gather = 0")

    def declare(self, *, after: int, period: Period, size: int) -> Declared:
        """In the thread: the next chunk's last member id, its held cursor computed, and its
        members' covers read (small results: a few thousand rows, a few packets)."""
        with self.conn.cursor() as cur:
            upto = boundary_fetch(cur, after=after, period=period, size=size)
            held = self.conn.cursor(name=self.CURSOR, withhold=True)
            held.execute(LINES_SQL, lines_params(after=after, upto=upto, period=period))
            return Declared(upto, held, around_fetch(cur, after=after, upto=upto))

    def close(self) -> None:
        self.conn.close()


def replay_all(*, period: Period, rules: r.Rules, size: int = CHUNK_LINES) -> r.Replayer:
    """Every chunk in one go (the command and the bench; the job calls `chunk` once per step).

    On PostgreSQL outside a transaction, the server computes the next chunk's lines (`Ahead`)
    while this process decides the current one; the rows are fetched, and the covers built, here.
    Inside a transaction (the tests, a caller's atomic block) another connection would not see its
    rows: read in turn.
    """
    replayer = r.Replayer(period=period, rules=rules, acc=Accumulator())
    if not is_postgresql() or connection.in_atomic_block:
        after: int | None = replayer.chunk(after=0, size=first_chunk_size(size))  # the same chunks as ahead
        while after is not None:
            after = replayer.chunk(after=after, size=size)
        return replayer
    ahead = Ahead()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="whatif-read") as pool:
            t0 = time.perf_counter()
            read = chunk_read(after=0, period=period, size=first_chunk_size(size))
            replayer.read_seconds += time.perf_counter() - t0
            while read is not None:
                last = read.last
                declared = pool.submit(ahead.declare, after=last, period=period, size=size)
                replayer.replay(read)
                t0 = time.perf_counter()
                upto, held, around = declared.result()
                with e.gc_paused(), held:  # closed (CLOSE) once fetched
                    read = chunk_of(upto=upto, rows=held.fetchall(), around=around)
                replayer.read_seconds += time.perf_counter() - t0  # the fetch, what was not hidden
    finally:
        ahead.close()
    return replayer
