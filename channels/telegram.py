"""Telegram, with the webhook registered inside the server's own event loop.

Rasa 3.6's TelegramInput registers its webhook with asyncio.run() in a throw-away event loop while the
server starts; the bot's HTTP session then belongs to that closed loop and the first reply fails with
"Event loop is closed". This subclass registers the webhook once the server runs instead.
"""
import logging
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint

from channels.guard import GuardedChannel

logger = logging.getLogger(__name__)


class TelegramWebhookInput(GuardedChannel, TelegramInput):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.access_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.listener("after_server_start")
        async def register_webhook(app: Any, loop: Any) -> None:
            if not await TelegramOutput(self.access_token).set_webhook(url=self.webhook_url):
                logger.warning("Telegram did not accept the webhook %s", self.webhook_url)

        return webhook
