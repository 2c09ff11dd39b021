"""Write results/report/index.html from `rasa test` output (`make report` runs the tests first).

Shows the accuracy figures, Rasa's confusion matrices and confidence histograms, and every misclassified
held-out phrasing, so staff can see what to fix after editing content.
"""
import asyncio
import html
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "results" / "report"
MODEL = ROOT / "models" / "clinic.tar.gz"
IMAGES = [
    ("nlu/intent_confusion_matrix.png", "Intent confusion matrix (held-out set)"),
    ("nlu/intent_histogram.png", "Intent confidence histogram (held-out set)"),
    ("stories/story_confusion_matrix.png", "Conversation tests: action confusion matrix"),
]


def load(relative: Text) -> Any:
    path = REPORT / relative
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def error_rows(errors: List[Dict[Text, Any]], target: Text, prediction: Text) -> Text:
    rows = []
    for error in errors or []:
        predicted = error.get(prediction) or {}
        rows.append(
            f"<tr><td>{html.escape(error.get('text', ''))}</td><td>{html.escape(str(error.get(target)))}</td>"
            f"<td>{html.escape(str(predicted.get('name')))}</td><td>{predicted.get('confidence', 0):.2f}</td></tr>"
        )
    return "\n".join(rows) or "<tr><td colspan=4>none</td></tr>"


def topic_errors(model: Path) -> Tuple[float, int, List[Dict[Text, Any]]]:
    """FAQ topics of the held-out set, parsed by the whole pipeline in-process, scored by the answer a visitor
    gets (`rasa test nlu` undoes the fallback's prediction, so an unsure topic counts as answered there):
    accuracy, count, misclassified phrasings."""
    sys.path.insert(0, str(ROOT))
    from actions.topics import is_faq
    from evaluation.heldout import label_of, load_examples
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    faq = [(text, label) for text, label in load_examples() if is_faq(label)]
    errors = []
    for text, expected in faq:
        parse = loop.run_until_complete(agent.parse_message(text))
        predicted = label_of(parse)
        if predicted != expected:
            errors.append({"text": text, "expected": expected,
                           "predicted": {"name": predicted, "confidence": parse["intent"]["confidence"]}})
    return 1 - len(errors) / max(len(faq), 1), len(faq), errors


def summary(report: Dict[Text, Any], name: Text) -> Text:
    if not report:
        return f"<li>{name}: not run</li>"
    weighted = report.get("weighted avg", {})
    return (f"<li>{name}: accuracy {report.get('accuracy', 0):.3f}, weighted F1 {weighted.get('f1-score', 0):.3f}"
            f" over {weighted.get('support', 0)} examples</li>")


def main() -> None:
    intent_report = load("nlu/intent_report.json")
    if intent_report is None:
        sys.exit(f"no rasa test output in {REPORT}: run `make report`")
    topic_accuracy, topics, topic_misses = topic_errors(MODEL)
    figures = "\n".join(
        f"<figure><img src='{src}' alt='{html.escape(caption)}' width=640><figcaption>{html.escape(caption)}"
        f"</figcaption></figure>"
        for src, caption in IMAGES if (REPORT / src).exists()
    )
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Assistant test report</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #9aa5b1;padding:.3rem .5rem;text-align:left}}</style></head>
<body><h1>Assistant test report</h1>
<ul>{summary(intent_report, "Intents")}<li>FAQ topics: accuracy {topic_accuracy:.3f} over {topics} questions</li></ul>
{figures}
<h2>Misclassified intents</h2><table><tr><th>phrasing</th><th>expected</th><th>predicted</th><th>confidence</th></tr>
{error_rows(load("nlu/intent_errors.json"), "intent", "intent_prediction")}</table>
<h2>Misclassified FAQ topics</h2><table><tr><th>phrasing</th><th>expected</th><th>predicted</th><th>confidence</th></tr>
{error_rows(topic_misses, "expected", "predicted")}</table>
</body></html>"""
    (REPORT / "index.html").write_text(page, encoding="utf-8")
    print(f"report written to {REPORT / 'index.html'}")


if __name__ == "__main__":
    main()
