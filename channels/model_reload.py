"""Serves a newly trained model without a restart: an edited answer is live seconds after `make train`.

Registered in credentials.yml as `channels.model_reload.ModelReload`; it receives no messages itself. It
watches the model file the server was started with. When the file has changed and stayed unchanged for one
interval (so a model still being written is never read), the new model is loaded in a worker thread while
the old one keeps answering, then swapped in. A model that fails to load is logged and the old one stays.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic

logger = logging.getLogger(__name__)
Signature = Optional[Tuple[int, int]]


def signature(path: Path) -> Signature:
    """What changes when a model file is rewritten: its modification time and size."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class ModelReload(InputChannel):
    def __init__(self, interval_seconds: float = 2.0) -> None:
        self.interval_seconds = float(interval_seconds)

    @classmethod
    def name(cls) -> Text:
        return "model_reload"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(**(credentials or {}))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("model_reload", __name__)

        watcher: Dict[Text, asyncio.Task] = {}

        @blueprint.listener("after_server_start")
        async def watch(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
            if self.interval_seconds > 0:
                watcher["task"] = asyncio.ensure_future(self.watch(app))

        @blueprint.listener("before_server_stop")
        async def stop_watching(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
            # ended here, so that Ctrl-C does not print "Task was destroyed but it is pending!"
            task = watcher.pop("task", None)
            if task:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

        return blueprint

    async def watch(self, app: Sanic) -> None:
        agent = await self._ready_agent(app)
        path = Path(agent.processor.model_path)
        loaded = seen = signature(path)
        while True:
            await asyncio.sleep(self.interval_seconds)
            current = signature(path)
            if current is not None and current == seen and current != loaded:
                loaded = current
                await self._load(agent, path)
            seen = current

    async def _ready_agent(self, app: Sanic) -> Any:
        # the server loads its first model in its own start-up listener, which may run after this one
        while not (getattr(app.ctx, "agent", None) and app.ctx.agent.is_ready()):
            await asyncio.sleep(self.interval_seconds)
        return app.ctx.agent

    @staticmethod
    async def _load(agent: Any, path: Path) -> None:
        logger.info(f"Loading the new model {path} (the current one answers meanwhile).")
        try:
            await asyncio.get_running_loop().run_in_executor(None, agent.load_model, path)
        except Exception:  # a broken model must not stop the server that is answering visitors
            logger.exception(f"The new model {path} could not be loaded; still serving the previous one.")
            return
        logger.info(f"Now serving the model {path}.")
