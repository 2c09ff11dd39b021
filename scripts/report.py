"""Write results/report/index.html from `rasa test` output (`make report` runs the tests first).

For a clinic manager after editing content: what happened to each held-out question, in plain words, a
chart per topic with labels that can be read, the questions that went wrong, and whether the conversation
tests passed. Rasa's own charts (one row per intent, too many to read) stay linked for developers.
"""
import asyncio
import html
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

from clinic.paths import MODEL, ROOT
from scripts.staff_agent import quiet_logs

REPORT = ROOT / "results" / "report"
RASA_CHARTS = [
    ("nlu/intent_confusion_matrix.png", "Intent confusion matrix"),
    ("nlu/intent_histogram.png", "Intent confidence histogram"),
    ("stories/story_confusion_matrix.png", "Conversation tests: action confusion matrix"),
]
# What a visitor got, for an FAQ question of the held-out set, and the colour it has in the charts
OUTCOMES = {"right": ("answered with the right topic", "#2f7d4f"),
            "choose": ("asked to choose between topics", "#d9a21b"),
            "wrong": ("answered with another topic", "#b3261e"),
            "refused": ("not answered (refused or sent to a provider)", "#6b7785")}
WHY_DIFFERENT = (
    "These questions (tests/nlu_heldout.yml) were written by the team and shaped the training data and the "
    "settings, so they catch a change that breaks something, but they score higher than real visitors' "
    "messages. The README's realistic table is the honest measure: batches written by people who never saw "
    "the training data, measured with <code>make bench</code>.")


def load(relative: Text) -> Any:
    path = REPORT / relative
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def outcome_of(expected: Text, predicted: Text) -> Text:
    from clinic.topics import is_faq

    if predicted == expected:
        return "right"
    if predicted == "nlu_fallback":
        return "choose"
    return "wrong" if is_faq(predicted) else "refused"


def faq_outcomes(model: Path) -> List[Dict[Text, Any]]:
    """Every FAQ question of the held-out set, parsed by the whole pipeline as the server does, with what a
    visitor gets (`rasa test nlu` undoes the fallback, so there an unsure topic counts as answered)."""
    from rasa.core.agent import Agent

    from clinic.topics import is_faq, topic_of, topic_question
    from evaluation.heldout import label_of, load_examples

    agent = Agent.load(str(model))
    domain = agent.domain.as_dict()
    title = lambda intent: topic_question(domain, topic_of(intent)) if is_faq(intent) else intent  # noqa: E731
    loop = asyncio.new_event_loop()
    rows = []
    for text, expected in load_examples():
        if not is_faq(expected):
            continue
        parse = loop.run_until_complete(agent.parse_message(text))
        predicted = label_of(parse)
        rows.append({"text": text, "topic": title(expected), "outcome": outcome_of(expected, predicted),
                     "got": title(predicted), "sure": parse["intent"].get("confidence") or 0.0})
    return rows


def topic_chart(rows: List[Dict[Text, Any]], path: Path) -> None:
    """One bar a topic, split by what its questions got; topic names in full at a readable size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_topic: Dict[Text, Counter] = defaultdict(Counter)
    for row in rows:
        by_topic[row["topic"]][row["outcome"]] += 1
    topics = sorted(by_topic, key=lambda t: (by_topic[t]["right"] / sum(by_topic[t].values()), t), reverse=True)
    figure, axes = plt.subplots(figsize=(12, 0.42 * len(topics) + 1.6), dpi=100)
    left = [0.0] * len(topics)
    for outcome, (label, colour) in OUTCOMES.items():
        shares = [by_topic[t][outcome] / sum(by_topic[t].values()) for t in topics]
        axes.barh(topics, shares, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.tick_params(labelsize=12)
    axes.set_title("What the held-out questions of each topic got", fontsize=15, loc="left", pad=12)
    axes.legend(fontsize=12, loc="upper center", bbox_to_anchor=(0.4, -0.03 - 0.6 / len(topics)), ncol=2,
                frameon=False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def story_summary() -> Tuple[int, int]:
    """(passed, total) conversation tests, from `rasa test core`'s report."""
    result = (load("stories/story_report.json") or {}).get("conversation_accuracy") or {}
    return int(result.get("correct") or 0), int(result.get("total") or 0)


def misses_table(rows: List[Dict[Text, Any]]) -> Text:
    lines = [f"<tr><td>{html.escape(r['text'])}</td><td>{html.escape(r['topic'])}</td>"
             f"<td>{html.escape(OUTCOMES[r['outcome']][0])}{': ' + html.escape(r['got']) if r['outcome'] == 'wrong' else ''}"
             f"</td><td>{r['sure']:.0%}</td></tr>" for r in rows if r["outcome"] != "right"]
    return "\n".join(lines) or "<tr><td colspan=4>none: every question got its answer</td></tr>"


def page(rows: List[Dict[Text, Any]], intent_report: Dict[Text, Any], stories: Tuple[int, int]) -> Text:
    counts = Counter(row["outcome"] for row in rows)
    outcomes = "".join(f"<li>{counts[key]} ({counts[key] / max(len(rows), 1):.1%}) {label}</li>"
                       for key, (label, _) in OUTCOMES.items())
    passed, total = stories
    story_line = (f"all {total} conversation tests passed" if passed == total
                  else f"<strong>{total - passed} of {total} conversation tests failed</strong> (see stories/failed_test_stories.yml)")
    rasa_charts = " · ".join(f"<a href='{src}'>{html.escape(caption)}</a>"
                             for src, caption in RASA_CHARTS if (REPORT / src).exists())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Assistant test report</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #9aa5b1;padding:.3rem .5rem;text-align:left}}
img{{max-width:100%;height:auto}}</style></head>
<body><h1>Assistant test report</h1>
<h2>Summary</h2>
<p>Of {len(rows)} held-out FAQ questions:</p><ul>{outcomes}</ul>
<p>Conversations: {story_line}. Every message kind (FAQ, booking, emergency, small talk ...): accuracy
{intent_report.get('accuracy', 0):.1%} over {(intent_report.get('weighted avg') or {}).get('support', 0)} messages.</p>
<p><strong>Why these numbers are higher than the README's:</strong> {WHY_DIFFERENT}</p>
<figure><img src="topics.png" alt="Share of each topic's held-out questions answered right, asked to choose,
answered with another topic, or not answered"><figcaption>Each topic's held-out questions, by what they got</figcaption></figure>
<h2>Questions that did not get their answer</h2>
<table><tr><th>question</th><th>its topic</th><th>what it got</th><th>how sure</th></tr>
{misses_table(rows)}</table>
<h2>For developers</h2><p>Rasa's own charts: {rasa_charts}</p>
</body></html>"""


def main() -> None:
    intent_report = load("nlu/intent_report.json")
    if intent_report is None:
        sys.exit(f"no rasa test output in {REPORT}: run `make report`")
    quiet_logs()
    rows = faq_outcomes(MODEL)
    topic_chart(rows, REPORT / "topics.png")
    stories = story_summary()
    (REPORT / "index.html").write_text(page(rows, intent_report, stories), encoding="utf-8")
    right = sum(row["outcome"] == "right" for row in rows)
    print(f"{right} of {len(rows)} held-out FAQ questions got their answer; "
          f"{stories[0]} of {stories[1]} conversation tests passed.")
    print(f"Report written to {REPORT / 'index.html'}")


if __name__ == "__main__":
    main()
