"""The soak run of `make bench-load`: SOAK_SECONDS (default 600) of mixed traffic over REST and Socket.IO on
one Rasa worker with PostgreSQL, with a restart of Rasa at a third of the time and PostgreSQL stopped for
OUTAGE_SECONDS at two thirds. It counts every message a visitor tried to send:

- reached: the server received it (an HTTP status, a Socket.IO event back);
- answered: a reply came back; refused: a 503 / `unavailable` (the database down: nothing answered unstored);
- stored: the visitor's messages in the database at the end.

Nothing is lost when every answered message is stored ("answered, not stored" is 0). Messages sent while Rasa was
restarting never reached it (the visitor sees an error and can send again): counted as "not reached".
Writes its table into README.md (section "soak").
"""
from __future__ import annotations

import asyncio
import os
import random
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Text

import aiohttp
import socketio
import sqlalchemy as sa

from clinic.paths import MODEL, trained_model
from evaluation.load import PeakMemory, conversations, machine
from evaluation.readme import write_section
from evaluation.services import Postgres
from evaluation.stack import running_stack
from evaluation.widget_client import WidgetClient

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", 600))
OUTAGE_SECONDS = 10.0
VISITORS = 12  # at a time: half over REST, half over Socket.IO
THINK_SECONDS = 1.0


@dataclass
class Counts:
    tried: int = 0
    reached: int = 0
    answered: int = 0
    refused: int = 0
    answered_by_sender: Counter = field(default_factory=Counter)


async def rest_visitor(url: Text, sender: Text, turns: List[Text], counts: Counts) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for text in turns:
            counts.tried += 1
            try:
                async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as reply:
                    body = await reply.json(content_type=None)
                    counts.reached += 1
                    counts.answered += reply.status == 200 and bool(body)
                    counts.answered_by_sender[sender] += reply.status == 200 and bool(body)
                    counts.refused += reply.status == 503
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            await asyncio.sleep(THINK_SECONDS)


async def widget_visitor(url: Text, turns: List[Text], counts: Counts, senders: List[Text]) -> None:
    visitor = WidgetClient(url)
    try:
        session = await visitor.join()
    except (socketio.exceptions.SocketIOError, asyncio.TimeoutError, OSError):
        counts.tried += len(turns)  # could not open the chat: none of its messages reached the server
        await asyncio.sleep(THINK_SECONDS)
        return
    senders.append(session["session_id"])
    try:
        for text in turns:
            counts.tried += 1
            try:
                outcome = await visitor.ask({"message": text})
            except (socketio.exceptions.SocketIOError, asyncio.TimeoutError):
                break  # the server went away mid-conversation (its restart)
            counts.reached += 1
            counts.answered += outcome == "answered"
            counts.answered_by_sender[session["session_id"]] += outcome == "answered"
            counts.refused += outcome == "refused"
            await asyncio.sleep(THINK_SECONDS)
    finally:
        await visitor.leave()


async def traffic(url: Text, deadline: float, counts: Counts, senders: List[Text]) -> None:
    rng, turns = random.Random(5), conversations(2000, seed=13)

    async def lane(index: int) -> None:
        number = 0
        while time.monotonic() < deadline:
            visitor_turns = turns[(index * 97 + number) % len(turns)]
            if index % 2:
                await widget_visitor(url, visitor_turns, counts, senders)
            else:
                sender = f"soak-rest-{index}-{number}"
                senders.append(sender)
                await rest_visitor(url, sender, visitor_turns, counts)
            number += 1
            await asyncio.sleep(rng.random())

    await asyncio.gather(*(lane(i) for i in range(VISITORS)))


def stored_user_messages(database_url: Text, senders: List[Text]) -> Counter:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sender_id, count(*) FROM events WHERE type_name = 'user' "
                                          "GROUP BY sender_id")).fetchall()
    wanted = set(senders)
    return Counter({sender: count for sender, count in rows if sender in wanted})


def main() -> None:
    trained_model()
    counts = Counts()
    senders: List[Text] = []
    postgres = Postgres()
    postgres.init()
    try:
        with tempfile.TemporaryDirectory() as tmp, \
                running_stack(MODEL, Path(tmp), {"DATABASE_URL": postgres.url}) as stack:
            start = time.monotonic()

            def disturb() -> None:
                time.sleep(SOAK_SECONDS / 3)
                stack.restart_rasa()
                time.sleep(max(0.0, start + 2 * SOAK_SECONDS / 3 - time.monotonic()))
                postgres.stop()
                time.sleep(OUTAGE_SECONDS)
                postgres.start()

            disturber = threading.Thread(target=disturb, daemon=True)
            with PeakMemory(stack.replicas) as memory:
                disturber.start()
                asyncio.run(traffic(stack.rasa_url, start + SOAK_SECONDS, counts, senders))
                disturber.join()
            seconds = time.monotonic() - start
            stored_by_sender = stored_user_messages(postgres.url, senders)
    finally:
        postgres.remove()
    stored = sum(stored_by_sender.values())
    # per conversation: answered but not stored (lost: must be 0); stored but the reply never reached the
    # visitor (the connection cut by the restart: nothing lost, the visitor sees an error and can ask again)
    lost = sum(max(0, answered - stored_by_sender[sender]) for sender, answered in counts.answered_by_sender.items())
    unreceived = sum(max(0, count - counts.answered_by_sender[sender]) for sender, count in stored_by_sender.items())
    table = "\n".join([
        f"`make bench-load` (soak) on {machine()}: {seconds / 60:.0f} minutes, {VISITORS} visitors at a time "
        f"(half REST, half the widget's Socket.IO over long-polling), {THINK_SECONDS:g} s between turns; Rasa "
        f"restarted at a third, PostgreSQL stopped for {OUTAGE_SECONDS:g} s at two thirds.",
        "",
        "| messages tried | reached the server | answered | refused (503: database down) | stored | "
        "answered, not stored (lost) | stored, reply cut off | errors | peak memory MiB |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {counts.tried} | {counts.reached} | {counts.answered} | {counts.refused} | {stored} | {lost} | "
        f"{unreceived} | {counts.reached - counts.answered - counts.refused} | {memory.peak_kb / 1024:.0f} |",
        "",
        f"Not reached ({counts.tried - counts.reached}): sent while Rasa was restarting, or in a chat that could "
        "not connect then; the visitor saw an error.",
    ])
    print(table)
    write_section("soak", table)


if __name__ == "__main__":
    main()
