"""What visitors asked that the assistant did not simply answer, and how they rated answers (`make unanswered`).

Reads the conversation store (DATABASE_URL, else var/conversations.db; see stores/database.py) and lists, each
group most frequent first, with counts and the date last seen:
1. emergencies: messages that got the emergency or crisis reply (check them first);
2. questions the assistant could not answer (it asked the visitor to choose): content to add;
3. requests it refused as outside the clinic's articles: check the refusals are right;
4. answers visitors voted "not helpful" in the website chat, most votes first.
Only message text is printed: no sender ids or other personal data.
"""
import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, List, Optional, Text

from clinic.paths import DOMAIN

GROUPS = {
    "emergencies": ("Emergencies: given the emergency or crisis reply", {"emergency", "self_harm"}),
    "not_answered": ("Could not answer: asked the visitor to choose (content to add?)", {"nlu_fallback"}),
    "refused": ("Refused as outside the clinic's articles (are these right?)", {"out_of_scope"}),
}
UNANSWERED_INTENTS = GROUPS["not_answered"][1] | GROUPS["refused"][1]


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    last: Dict[Text, float] = field(default_factory=dict)

    def add(self, key: Text, timestamp: float) -> None:
        self.counts[key] += 1
        self.last[key] = max(self.last.get(key, 0.0), timestamp)

    def rows(self) -> List[tuple]:
        return [(key, count, _date(self.last[key])) for key, count in self.counts.most_common()]


async def read_store(database_url: Optional[Text] = None) -> Dict[Text, Tally]:
    """Every group's messages (lower-cased, spaces collapsed), and the votes per answer ("no"/"yes" tallies)."""
    from rasa.shared.core.domain import Domain

    from stores.database import DatabaseTrackerStore

    store = DatabaseTrackerStore(Domain.load(str(DOMAIN)), host=database_url)
    tallies = {name: Tally() for name in [*GROUPS, "votes_no", "votes_yes"]}
    for sender in await store.keys():
        tracker = await store.retrieve_full_tracker(sender)
        for event in tracker.events if tracker else []:
            if event.type_name != "user":
                continue
            intent = (event.intent or {}).get("name")
            if intent == "feedback":
                vote = {e.get("entity"): e.get("value") for e in event.entities or []}
                if vote.get("answer") and vote.get("helpful") in ("yes", "no"):
                    tallies[f"votes_{vote['helpful']}"].add(vote["answer"], event.timestamp)
                continue
            text = " ".join((event.text or "").split()).lower()
            group = next((name for name, (_, intents) in GROUPS.items() if intent in intents), None)
            if group and text and not text.startswith("/"):  # button payloads are not questions
                tallies[group].add(text, event.timestamp)
    return tallies


async def unanswered(database_url: Optional[Text] = None) -> List[tuple]:
    """(text, count) of the messages that fell back or were refused, most frequent first."""
    tallies = await read_store(database_url)
    merged: Counter = tallies["not_answered"].counts + tallies["refused"].counts
    return merged.most_common()


def answer_title(response: Text, domain: Dict) -> Text:
    from clinic.topics import FAQ_RESPONSE_PREFIX, topic_question

    if response.startswith(FAQ_RESPONSE_PREFIX):
        return topic_question(domain, response[len(FAQ_RESPONSE_PREFIX):]) or response
    return response.replace("utter_", "").replace("_", " ")


def _date(timestamp: float) -> Text:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def print_report(tallies: Dict[Text, Tally], top: int) -> None:
    from rasa.shared.core.domain import Domain

    for name, (title, _) in GROUPS.items():
        rows = tallies[name].rows()
        total = sum(count for _, count, _ in rows)
        print(f"{title}: {total} message{'' if total == 1 else 's'}")
        for text, count, last in rows[:top]:
            print(f"  {count:4d}  last {last}  {text}")
        print()
    domain = Domain.load(str(DOMAIN)).as_dict()
    no, yes = tallies["votes_no"], tallies["votes_yes"]
    answers = sorted(set(no.counts) | set(yes.counts), key=lambda a: (-no.counts[a], yes.counts[a]))
    print(f"Answers visitors voted on (website chat, SMS): {len(answers)} (most \"not helpful\" first)")
    for answer in answers[:top]:
        last = _date(max(no.last.get(answer, 0.0), yes.last.get(answer, 0.0)))
        print(f"  not helpful {no.counts[answer]:3d}  helpful {yes.counts[answer]:3d}  last {last}  {answer_title(answer, domain)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=30, help="lines per group")
    args = parser.parse_args()
    print_report(asyncio.run(read_store()), args.top)


if __name__ == "__main__":
    from scripts.staff_agent import quiet_logs

    quiet_logs()
    main()
