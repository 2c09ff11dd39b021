"""The conditions a provider is suggested for, and how the suggestion is tailored to each. Read by the action
server (actions/provider.py) and by the Rasa server's responses (addons/clinic_responses.py)."""
from __future__ import annotations

from typing import Any, Dict, NamedTuple, Optional, Text


class ConditionAdvice(NamedTuple):
    situation: Text  # completes "Whether massage is right for you..."
    who: Text  # who should be asked
    topic: Optional[Text] = None  # FAQ topic whose article text is relevant
    medication: bool = False  # add "don't change medication on your own"
    crisis: bool = False  # add the crisis line, for anyone who mentions self-harm, even in the past


# canonical `condition` values (data/nlu/lookups.yml synonyms) -> how to tailor the suggestion
CONDITIONS: Dict[Text, ConditionAdvice] = {
    "pregnancy": ConditionAdvice(" during pregnancy", "your doctor or midwife", "pregnancy"),
    "recent_surgery": ConditionAdvice(" after recent surgery", "your surgeon or doctor", "post_surgery"),
    "blood_clots": ConditionAdvice(" with a blood clot or a history of clots", "your doctor"),
    "blood_thinners": ConditionAdvice(" while you take blood thinners", "the doctor who prescribed them", None, True),
    "osteoporosis": ConditionAdvice(" with osteoporosis", "your doctor"),
    "medication": ConditionAdvice(" with the medication you take", "your doctor or pharmacist", None, True),
    "fibromyalgia": ConditionAdvice(" with fibromyalgia", "your doctor", "fibromyalgia"),
    "hypertension": ConditionAdvice(" with high blood pressure", "your doctor", "blood_pressure", True),
    "osteoarthritis": ConditionAdvice(" with arthritis", "your doctor or physiotherapist", "osteoarthritis"),
    "carpal_tunnel": ConditionAdvice(" with carpal tunnel syndrome", "your doctor or physiotherapist", "carpal_tunnel"),
    "migraine": ConditionAdvice(" with migraines", "your doctor", "headaches"),
    "chemotherapy": ConditionAdvice(" during cancer treatment", "your oncology team", "chemotherapy"),
    "dementia": ConditionAdvice(" with dementia", "their doctor", "depression_mood"),
    "depression": ConditionAdvice(" with depression", "your doctor or mental health professional", "depression_mood"),
    "anxiety": ConditionAdvice(" with anxiety", "your doctor or mental health professional", "stress_anxiety"),
    "insomnia": ConditionAdvice(" with insomnia", "your doctor", "sleep"),
    "injury": ConditionAdvice(" with an injury", "your doctor or physiotherapist", "exercise_recovery"),
    "heart_condition": ConditionAdvice(" with a heart condition", "your cardiologist or doctor"),
    "diabetes": ConditionAdvice(" with diabetes", "your doctor"),
    "varicose_veins": ConditionAdvice(" with varicose veins", "your doctor"),
    "skin_condition": ConditionAdvice(" with a skin condition", "your doctor or dermatologist"),
    # conditions the safety layer names when a red flag is in the past or hypothetical (addons/safety)
    "stroke": ConditionAdvice(" after a stroke", "your doctor"),
    "seizures": ConditionAdvice(" with seizures or epilepsy", "your doctor"),
    "head_injury": ConditionAdvice(" after a head injury or concussion", "your doctor"),
    "breathing_problems": ConditionAdvice(" with breathing problems", "your doctor"),
    "allergies": ConditionAdvice(" with allergies", "your doctor"),
    "spine": ConditionAdvice(" with a back or spine condition", "your doctor or physiotherapist"),
    "mental_health": ConditionAdvice(" while you're going through a hard time", "your doctor or a mental health professional", "depression_mood", crisis=True),
}
GENERAL_ADVICE = ConditionAdvice("", "a healthcare provider")
MEDICATION_NOTE = " Please don't change or stop any medication without the doctor who prescribed it."
CRISIS_NOTE = " If thoughts of harming yourself come back, call or text {crisis_line} at any time."

BOOK_BUTTON = {"title": "Book an appointment", "payload": "/book_appointment"}


def mentioned_condition(parse: Dict[Text, Any], remembered: Optional[Text]) -> Optional[Text]:
    """The condition of the latest message's parse (a past red flag's, from the safety layer, first), else
    the one remembered in the slot."""
    from_safety = (parse.get("safety") or {}).get("condition")
    latest = next((e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "condition"), None)
    return from_safety or latest or remembered


def provider_suggestion(condition: Optional[Text], crisis_line: Text = "") -> Dict[Text, Any]:
    """Keyword arguments for utter_suggest_provider tailored to `condition` (unknown -> general)."""
    advice = CONDITIONS.get(condition or "", GENERAL_ADVICE)
    extra = MEDICATION_NOTE if advice.medication else ""
    if advice.crisis:
        extra += CRISIS_NOTE.format(crisis_line=crisis_line)
    return {"situation": advice.situation, "who": advice.who, "extra": extra}
