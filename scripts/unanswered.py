"""Which visitor questions the assistant could not answer, most frequent first (`make unanswered`).

Reads the conversation store (DATABASE_URL, else var/conversations.db; see stores/database.py) and counts the user messages that
ended in the fallback (`nlu_fallback`) or were out of scope, so staff know which content to add. Only
the message text is printed: no sender ids, dates or other personal data.
"""
import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import List, Optional, Text, Tuple

ROOT = Path(__file__).resolve().parent.parent
UNANSWERED_INTENTS = {"nlu_fallback", "out_of_scope"}


async def unanswered(database_url: Optional[Text] = None) -> List[Tuple[Text, int]]:
    from rasa.shared.core.domain import Domain

    from stores.database import DatabaseTrackerStore

    store = DatabaseTrackerStore(Domain.load(str(ROOT / "domain.yml")), host=database_url)
    counts: Counter = Counter()
    for sender in await store.keys():
        tracker = await store.retrieve_full_tracker(sender)
        for event in tracker.events if tracker else []:
            if event.type_name == "user" and (event.intent or {}).get("name") in UNANSWERED_INTENTS:
                text = " ".join((event.text or "").split())
                if text and not text.startswith("/"):  # button payloads are not questions
                    counts[text.lower()] += 1
    return counts.most_common()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    rows = asyncio.run(unanswered())
    if not rows:
        print("No unanswered questions in the conversation store.")
    for text, count in rows[: args.top]:
        print(f"{count:5d}  {text}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
