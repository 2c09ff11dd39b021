"""Batch-ask the assistant, for staff reviewing answers after editing content.

    make ask < questions.txt                 # or: make ask QUESTIONS=questions.txt FORMAT=csv
    .venv/bin/python scripts/ask.py questions.txt --format json

One question per line (blank lines and lines starting with # are skipped). For each: the intent, its
confidence, the FAQ topic, the answer text and its source. Each question is asked in a fresh conversation.
Custom actions (provider suggestions, emergencies) need the action server (`make ask` starts one).
"""
import argparse
import asyncio
import csv
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, List, Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIELDS = ["question", "intent", "confidence", "topic", "answer", "source"]


def split_source(texts: List[Text]) -> Dict[Text, Text]:
    """Answer paragraphs and the "Source: ..." line, which the FAQ answers end with."""
    paragraphs = [p for t in texts for p in t.split("\n\n") if p.strip()]
    sources = [p[len("Source: "):] for p in paragraphs if p.startswith("Source: ")]
    answer = " ".join(p for p in paragraphs if not p.startswith("Source: "))
    return {"answer": answer, "source": "; ".join(sources)}


async def ask_all(model: Path, action_server_url: Text, questions: Iterable[Text]) -> List[Dict[Text, Any]]:
    from rasa.core.agent import load_agent
    from actions.topics import is_faq, topic_of
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    # Only the action server: staff questions must not end up in the clinic's conversation store.
    action_server = EndpointConfig(url=action_server_url)
    # The clinic's details fill the responses as on the server (endpoints.yml `nlg`).
    clinic_responses = EndpointConfig(type="addons.clinic_responses.ClinicResponses")
    agent = await load_agent(
        model_path=str(model), endpoints=AvailableEndpoints(action=action_server, nlg=clinic_responses)
    )
    rows = []
    for question in questions:
        parse = await agent.parse_message(question)
        intent = parse.get("intent") or {}
        replies = await agent.handle_text(question, sender_id=f"staff-{uuid.uuid4().hex}") or []
        rows.append({
            "question": question,
            "intent": intent.get("name"),
            "confidence": round(float(intent.get("confidence") or 0.0), 3),
            "topic": topic_of(intent["name"]) if is_faq(intent.get("name")) else "",
            **split_source([r.get("text") or "" for r in replies]),
        })
    return rows


def write(rows: List[Dict[Text, Any]], fmt: Text) -> None:
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            topic = f" {row['topic']}" if row["topic"] else ""
            print(f"Q: {row['question']}\n   {row['intent']} ({row['confidence']:.2f}){topic}\n   A: {row['answer']}")
            if row["source"]:
                print(f"   Source: {row['source']}")
            print()


def quiet_logs() -> None:
    # Keep stdout for the results: Rasa's structured logs would otherwise print there at debug level.
    import logging

    import structlog

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
                        logger_factory=structlog.PrintLoggerFactory(sys.stderr))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=argparse.FileType("r", encoding="utf-8"), default=sys.stdin)
    parser.add_argument("--format", choices=["text", "csv", "json"], default="text")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "clinic.tar.gz")
    parser.add_argument("--action-server", default=os.environ.get("ACTION_SERVER_URL", "http://localhost:5055/webhook"))
    args = parser.parse_args()
    questions = [line.strip() for line in args.file if line.strip() and not line.lstrip().startswith("#")]
    if not questions:
        parser.error("no questions given (one per line, on stdin or in a file)")
    quiet_logs()
    write(asyncio.run(ask_all(args.model, args.action_server, questions)), args.format)


if __name__ == "__main__":
    main()
