"""How the practical questions of the frozen safety sets are handled (`python -m evaluation.practical`).

The safety sets' `clinic_practical` lines (opening hours, prices, parking, gift vouchers, referrals ...) were
written blind before the clinic's profile (clinic.yml) existed: which of them get an answer from the profile,
a booking reply, or a refusal with the clinic's number. Prints the counts and the refused or asked-back lines.
"""
from collections import Counter, defaultdict
from typing import Dict, List, Text

from actions.fallback import INTENT_TITLES
from clinic.paths import MODEL
from evaluation.safety import load_blind_sets, rasa_intent_of

PROFILE_INTENTS = {name for name in INTENT_TITLES if name.startswith("ask_") and name != "ask_capabilities"
                   and name != "ask_diagnosis"}


def outcomes() -> Dict[Text, List[Text]]:
    intent_of = rasa_intent_of(MODEL)
    lines = {text.lower(): text for blind in load_blind_sets() for category, text in blind.benign
             if category == "clinic_practical"}
    by_intent: Dict[Text, List[Text]] = defaultdict(list)
    for text in lines.values():
        by_intent[intent_of(text)].append(text)
    return by_intent


def main() -> None:
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # the results on stdout, not Rasa's parse logs
    by_intent = outcomes()
    counts = Counter({intent: len(texts) for intent, texts in by_intent.items()})
    answered = sum(counts[name] for name in PROFILE_INTENTS)
    print(f"{sum(counts.values())} distinct practical questions; answered from the profile: {answered}")
    for intent, count in counts.most_common():
        print(f"  {count:4d}  {intent}")
    for intent in ("out_of_scope", "nlu_fallback"):
        print(f"\n{intent}:")
        for text in sorted(by_intent[intent]):
            print(f"  {text}")


if __name__ == "__main__":
    main()
