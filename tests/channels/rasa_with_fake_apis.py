"""`rasa` with the third-party APIs it calls pointed at a local fake server (FAKE_API_URL).

Slack, Meta, Twilio and Telegram cannot be reached from here, and their client libraries have no
setting for the API address, so this launcher re-points them before Rasa starts. Everything else is
the real Rasa server with its real connector classes.
"""
import os

FAKE = os.environ["FAKE_API_URL"].rstrip("/")


def point_clients_at_fake() -> None:
    import aiogram.bot.api
    import fbmessenger
    import slack_sdk.web.async_client
    import twilio.base.domain

    slack_init = slack_sdk.web.async_client.AsyncWebClient.__init__

    def slack(self, *args, **kwargs):
        kwargs["base_url"] = f"{FAKE}/slack/"
        slack_init(self, *args, **kwargs)

    slack_sdk.web.async_client.AsyncWebClient.__init__ = slack  # type: ignore[method-assign]

    messenger_init = fbmessenger.MessengerClient.__init__

    def messenger(self, *args, **kwargs):
        messenger_init(self, *args, **kwargs)
        self.graph_url = f"{FAKE}/facebook"

    fbmessenger.MessengerClient.__init__ = messenger

    twilio.base.domain.Domain.absolute_url = lambda self, uri: f"{FAKE}/twilio/{uri.strip('/')}"

    fake_telegram = aiogram.bot.api.TelegramAPIServer.from_base(f"{FAKE}/telegram")
    object.__setattr__(aiogram.bot.api.TELEGRAM_PRODUCTION, "base", fake_telegram.base)


if __name__ == "__main__":
    point_clients_at_fake()
    from scripts.rasa_server import main

    main()
