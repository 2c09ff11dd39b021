"""`make bench-load`: many simulated visitors over the REST channel, for three ways of running Rasa.

Each visitor holds a multi-turn conversation (a greeting, a held-out FAQ question, a follow-up button,
thanks) with a think time between turns. Two runs per setup:
- offered load: visitors arrive so that OFFERED_RATE messages/s are sent, on a fixed schedule; latency is
  counted from the scheduled send time, so a slow server cannot hide its queue (no coordinated omission);
- saturation: SATURATION_VISITORS visitors with no think time, for the most messages/s the setup serves.
Setups: 1 worker (the default: SQLite, in-memory locks); 2 Sanic workers with PostgreSQL and the Redis lock
store; 2 replicas of 1 worker each behind a round-robin balancer (the client alternates replicas per
message) sharing PostgreSQL and Redis. Prints a table and writes it into README.md.
"""
from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Text

import aiohttp

from clinic.paths import MODEL, trained_model
from clinic.topics import is_faq
from evaluation.heldout import load_examples
from evaluation.readme import write_section
from evaluation.services import Postgres, Redis
from evaluation.stack import RasaServer, running_stack

OFFERED_RATE = float(os.environ.get("LOAD_RATE", 20))  # messages per second
MESSAGES = int(os.environ.get("LOAD_MESSAGES", 640))  # 4 full groups of visitors at 20/s
SATURATION_VISITORS = 32
THINK_SECONDS = 2.0
FOLLOW_UPS = ["/faq_lymph_flow", "/faq_sleep", "/faq_stress_anxiety", "/faq_headaches", "/faq_endorphins"]


def conversations(count: int, seed: int = 7) -> List[List[Text]]:
    """`count` visitors' turns: hi, a held-out FAQ question, a follow-up button, thanks."""
    rng = random.Random(seed)
    questions = [text for text, label in load_examples() if is_faq(label)]
    return [["hi", rng.choice(questions), rng.choice(FOLLOW_UPS), "thanks"] for _ in range(count)]


@dataclass
class Run:
    latencies_ms: List[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[q - 1] if len(self.latencies_ms) > 1 else 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str, run: Run, since: float) -> None:
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as reply:
            body = await reply.json(content_type=None)
            ok = reply.status == 200 and isinstance(body, list) and body
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok = False
    if ok:
        run.latencies_ms.append((time.perf_counter() - since) * 1000)
    else:
        run.errors += 1


class RoundRobin:
    """What a load balancer without stickiness does: each message to the next replica."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.urls, self.next = list(urls), 0

    def pick(self) -> str:
        self.next = (self.next + 1) % len(self.urls)
        return self.urls[self.next]


async def offered_load(balancer: RoundRobin, tag: str) -> Run:
    """MESSAGES messages, evenly OFFERED_RATE per second from start to end. Visitors come in groups of
    OFFERED_RATE x THINK_SECONDS; within a group, message k of visitor i is sent at (k x group + i) / rate,
    so each visitor waits THINK_SECONDS between turns and the server sees a steady rate."""
    turns = 4
    group = max(1, round(OFFERED_RATE * THINK_SECONDS))
    visitors = conversations(MESSAGES // turns)
    run = Run()
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter()

        async def visitor(index: int, messages: List[Text]) -> None:
            first_slot = (index // group) * group * turns + index % group
            for turn, text in enumerate(messages):
                scheduled = start + (first_slot + turn * group) / OFFERED_RATE
                await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
                await _send(session, balancer.pick(), f"{tag}-{index}", text, run, since=scheduled)

        await asyncio.gather(*(visitor(i, m) for i, m in enumerate(visitors)))
        run.seconds = time.perf_counter() - start
    return run


async def saturation(balancer: RoundRobin, tag: str) -> Run:
    queue = [m for c in conversations(MESSAGES // 4, seed=11) for m in c]
    per_visitor = len(queue) // SATURATION_VISITORS
    run = Run()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120),
                                     connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter()

        async def visitor(index: int) -> None:
            for text in queue[index * per_visitor:(index + 1) * per_visitor]:
                await _send(session, balancer.pick(), f"{tag}-sat-{index}", text, run, since=time.perf_counter())

        await asyncio.gather(*(visitor(i) for i in range(SATURATION_VISITORS)))
        run.seconds = time.perf_counter() - start
    return run


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Sanic workers), from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


class PeakMemory:
    def __init__(self, servers: Sequence[RasaServer]) -> None:
        self.servers, self._stop = servers, threading.Event()
        self.peak_kb = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            self.peak_kb = max(self.peak_kb, sum(_tree_rss_kb(s.pid) for s in self.servers))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(name: str, env: Dict[str, str], replicas: int) -> Text:
    with tempfile.TemporaryDirectory() as tmp, running_stack(MODEL, Path(tmp), env, replicas=replicas) as stack:
        balancer = RoundRobin([s.url for s in stack.replicas])
        for server in stack.replicas:  # first messages load lazily-built parts of the pipeline
            server.say("hello", sender="warm-up")
        with PeakMemory(stack.replicas) as memory:
            offered = asyncio.run(offered_load(balancer, name))
            most = asyncio.run(saturation(balancer, name))
        cold_start = max(s.cold_start_seconds for s in stack.replicas)
    line = (f"| {name} | {offered.throughput:.1f} | {offered.quantile(50):.0f} | {offered.quantile(95):.0f} | "
            f"{offered.quantile(99):.0f} | {offered.errors + most.errors} | {most.throughput:.1f} | "
            f"{most.quantile(95):.0f} | {memory.peak_kb / 1024:.0f} | {cold_start:.0f} |")
    print(line, flush=True)
    return line


def machine() -> Text:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal:")))
    return f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 ** 2:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    trained_model()
    rows: List[Text] = []
    with tempfile.TemporaryDirectory() as tmp:
        postgres, redis = Postgres(), Redis(Path(tmp) / "redis")
        postgres.init()
        redis.start()
        try:
            shared = {"DATABASE_URL": postgres.url, "REDIS_URL": redis.url}
            for name, env, replicas in [
                ("1 worker (SQLite, in-memory locks)", {}, 1),
                ("2 workers (PostgreSQL, Redis locks)", {**shared, "SANIC_WORKERS": "2"}, 1),
                ("2 replicas x 1 worker (PostgreSQL, Redis locks)", shared, 2),
            ]:
                rows.append(measure(name, env, replicas))
        finally:
            postgres.remove()
            redis.stop()
    table = "\n".join([
        f"`make bench-load` on {machine()}. Each setup: {MESSAGES} messages from {MESSAGES // 4} visitors "
        f"(4-turn conversations, {THINK_SECONDS:g} s think time) offered at {OFFERED_RATE:g} messages/s over "
        f"the REST channel, latency counted from the scheduled send; then {SATURATION_VISITORS} visitors with "
        "no think time (saturation). Memory: peak resident set of all Rasa processes (the action server "
        "excluded). Cold start: launch until the model answers.",
        "",
        f"| setup | msg/s at {OFFERED_RATE:g}/s offered | p50 ms | p95 ms | p99 ms | errors | saturation msg/s | "
        "saturation p95 ms | peak memory MiB | cold start s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ])
    print(table)
    write_section("bench-load", table)


if __name__ == "__main__":
    main()
