"""Batch-ask the assistant, for staff reviewing answers after editing content.

    make ask < questions.txt                 # or: make ask QUESTIONS=questions.txt FORMAT=csv
    python -m scripts.ask questions.txt --format json

One question per line (blank lines and lines starting with # are skipped). For each, in plain words: what
happened ("answered: Can massage help with sleep?", "asked the visitor to choose between ...", "sent to a
provider", "EMERGENCY"), the answer, its source, the choices offered, and how sure the assistant
was. CSV and JSON add the intent and FAQ topic for developers. Each question is asked in a fresh
conversation, nothing is stored (scripts/staff_agent.py).
"""
import argparse
import asyncio
import csv
import json
import sys
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, List, Text

from clinic.knowledge import uncited
from clinic.paths import MODEL
from scripts.staff_agent import action_server, load_agent, quiet_logs

FIELDS = ["question", "outcome", "answer", "source", "choices", "sure", "intent", "topic"]
# what happened, in the words of a clinic manager, by the kind of message the assistant decided it was
OUTCOMES = {
    "emergency": "EMERGENCY: told to call the emergency number now",
    "self_harm": "CRISIS: given the crisis line first",
    "nlu_fallback": "not sure: asked the visitor to choose",
    "out_of_scope": "refused: the clinic's articles don't cover it",
    "personal_question": "sent to a provider (a question about their own health)",
    "ask_diagnosis": "sent to a provider (asked what their symptom is)",
    "medication_or_cure": "sent to their doctor (medication or a cure)",
    "book_appointment": "booking: given the booking page and number",
    "request_human": "asked for a person: given the clinic's number",
}


def split_source(texts: List[Text]) -> Dict[Text, Text]:
    """The replies' text, and the articles their "Source: ..." lines name."""
    parts = [uncited(text) for text in texts]
    return {"answer": " ".join(p for body, _ in parts for p in body.split("\n\n") if p),
            "source": "; ".join(" / ".join(titles) for _, titles in parts if titles)}


async def ask_all(model: Path, action_server_url: Text, questions: Iterable[Text]) -> List[Dict[Text, Any]]:
    from clinic.topics import is_faq, topic_of

    agent = await load_agent(action_server_url, model)
    rows = []
    for question in questions:
        parse = await agent.parse_message(question)
        intent = parse.get("intent") or {}
        replies = await agent.handle_text(question, sender_id=f"staff-{uuid.uuid4().hex}") or []
        name = intent.get("name") or ""
        rows.append({
            "question": question,
            "outcome": outcome(name, parse, agent.domain.as_dict()),
            **split_source([r.get("text") or "" for r in replies]),
            "choices": [button["title"] for r in replies for button in r.get("buttons") or []],
            "sure": round(float(intent.get("confidence") or 0.0), 2),
            "intent": name,
            "topic": topic_of(name) if is_faq(name) else "",
        })
    return rows


def outcome(intent: Text, parse: Dict[Text, Any], domain: Dict[Text, Any]) -> Text:
    from actions.fallback import INTENT_TITLES
    from clinic.topics import PROVIDER_POINTER, is_faq, topic_of, topic_question

    if is_faq(intent):
        pointed = " (and pointed to a provider for their own situation)" if parse.get(PROVIDER_POINTER) else ""
        return f"answered: {topic_question(domain, topic_of(intent))}{pointed}"
    if intent in OUTCOMES:
        return OUTCOMES[intent]
    if intent in INTENT_TITLES:
        return f"answered from the clinic's profile: {INTENT_TITLES[intent]}"
    return f"small talk ({intent.replace('_', ' ')})"


def write(rows: List[Dict[Text, Any]], fmt: Text) -> None:
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows({**row, "choices": " | ".join(row["choices"])} for row in rows)
    else:
        for row in rows:
            print(f"Q: {row['question']}\n   What happened: {row['outcome']} (how sure: {row['sure']:.0%})")
            print("   A: " + row["answer"].replace("\n", "\n      "))
            if row["source"]:
                print(f"   Source: {row['source']}")
            for number, choice in enumerate(row["choices"], 1):
                print(f"   Choice {number}: {choice}")
            print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=argparse.FileType("r", encoding="utf-8"), default=sys.stdin)
    parser.add_argument("--format", choices=["text", "csv", "json"], default="text")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--action-server", help="its webhook URL (default: see scripts/staff_agent.py)")
    args = parser.parse_args()
    questions = [line.strip() for line in args.file if line.strip() and not line.lstrip().startswith("#")]
    if not questions:
        parser.error("no questions given (one per line, on stdin or in a file)")
    quiet_logs()
    if args.action_server:
        write(asyncio.run(ask_all(args.model, args.action_server, questions)), args.format)
        return
    with action_server() as url:
        write(asyncio.run(ask_all(args.model, url, questions)), args.format)


if __name__ == "__main__":
    main()
