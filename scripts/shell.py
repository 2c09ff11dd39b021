"""Chat with the assistant in the terminal, as a visitor would: `make shell`.

Whole answers with their source, and the choices under them numbered: type a number to choose one.
"/restart" starts a new conversation; Ctrl-D or Ctrl-C ends. Nothing is stored, and it needs no Rasa port
(scripts/staff_agent.py), so it runs beside `make run`. `rasa shell` still works too, on free ports.
"""
import argparse
import asyncio
import shutil
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, TextIO

from clinic.paths import MODEL
from scripts.staff_agent import action_server, load_agent, quiet_logs

PROMPT = "You: "
INDENT = " " * len("Assistant: ")


def show(replies: List[Dict[Text, Any]], out: TextIO, width: int) -> List[Dict[Text, Any]]:
    """Print every reply whole, its paragraphs wrapped, then its choices numbered; returns the choices."""
    lines = []
    choices = [button for reply in replies for button in reply.get("buttons") or []]
    paragraphs = [p for reply in replies for p in (reply.get("text") or "").split("\n\n") if p.strip()]
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            lines += textwrap.wrap(line, width - len(INDENT), break_on_hyphens=False) or [""]
        lines.append("")
    for number, choice in enumerate(choices, 1):
        lines.append(f"  {number}. {choice['title']}")
    text = "\n".join(INDENT + line if line else "" for line in lines).strip("\n")
    out.write(f"Assistant: {text.lstrip()}\n\n")
    return choices


def chosen(message: Text, choices: List[Dict[Text, Any]]) -> Optional[Dict[Text, Any]]:
    number = message.strip().rstrip(".)")
    return choices[int(number) - 1] if number.isdigit() and 1 <= int(number) <= len(choices) else None


async def chat(agent: Any, read: Any = input, out: TextIO = sys.stdout) -> None:
    width = min(shutil.get_terminal_size((100, 20)).columns, 100)
    sender = f"staff-shell-{uuid.uuid4().hex}"
    choices: List[Dict[Text, Any]] = []
    out.write("Ask the clinic assistant a question (/restart for a new conversation, Ctrl-D to quit).\n\n")
    while True:
        try:
            message = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            out.write("\nBye.\n")
            return
        if not message:
            continue
        if message == "/restart":
            sender, choices = f"staff-shell-{uuid.uuid4().hex}", []
            out.write("(a new conversation)\n\n")
            continue
        choice = chosen(message, choices)
        if choice:
            out.write(f"     (chose: {choice['title']})\n")
        replies = await agent.handle_text(choice["payload"] if choice else message, sender_id=sender) or []
        choices = show(replies, out, width)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--action-server", help="its webhook URL (default: see scripts/staff_agent.py)")
    args = parser.parse_args()
    quiet_logs()
    print("Loading the assistant ...", file=sys.stderr)

    async def session(url: Text) -> None:
        await chat(await load_agent(url, args.model))

    def run(url: Text) -> None:
        try:
            asyncio.run(session(url))
        except KeyboardInterrupt:  # while loading
            print("\nBye.")

    if args.action_server:
        run(args.action_server)
        return
    with action_server() as url:
        run(url)


if __name__ == "__main__":
    main()
