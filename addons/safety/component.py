"""The safety layer as the last NLU component: its decision overrides every prediction before it.

For each message, on its whole text (not only the first MAX_MESSAGE_CHARS the classifiers read):
1. a current red flag found by the rules -> intent `self_harm` (crisis line) or `emergency`, confidence 1;
2. else, if the rules found nothing at all, the learned classifier may add `emergency`/`self_harm`;
3. else a past or hypothetical red flag ("after my stroke last year", "what if someone faints")
   -> `personal_question`, with the condition to tailor the provider suggestion to; but a past one beside a
   question that only asks whether massage helps keeps the FAQ answer, with that tailored pointer;
4. else a medication or cure question -> `medication_or_cure`; but one that asks what the drug-free pain
   relief article answers ("can I use massage instead of painkillers?") gets that answer, and the pointer
   to a provider with the note not to change medication without its doctor.
An `emergency`/`self_harm` prediction of the intent classifier that none of the layers confirms is replaced by the next
intent in its ranking: the layers' thresholds are the ones chosen by cross-validation.

A message starting with "/" skips Rasa's NLU (RegexMessageHandler turns "/greet ..." into `greet`). Only
a well-formed payload ("/intent", "/faq_topic", "/intent{...}") without a red flag keeps its slash; any
other text loses it, so the prediction made here stands.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.faq_gate import DECISION_UNLESS_A_RED_FLAG, asks_only_whether_it_helps
from addons.fingerprint import AddonFingerprint
from addons.message_limit import FULL_TEXT
from addons.safety.check import Findings, RedFlag, shared_rules
from addons.safety.classifier import RED_FLAG_INTENTS, RedFlagClassifier
from addons.safety.context import Status
from addons.safety.rules import SELF_HARM
from clinic.topics import FAQ_SUMMARY, MEDICATION_OR_CURE, PERSONAL_QUESTION, PROVIDER_POINTER, by_kind, is_faq

EMERGENCY, SELF_HARM_INTENT = "emergency", "self_harm"
DRUG_FREE_PAIN_RELIEF = "faq_drug_free_pain_relief"
MEDICATION = "medication"  # the condition of actions/provider.py whose suggestion says not to change medication
SAFETY = "safety"
LEARNED = "learned"  # the red flag's kind when only the classifier saw it
# A past or hypothetical red flag of this kind -> the `condition` the provider suggestion is tailored to.
KIND_CONDITIONS = {
    "cardiac": "heart_condition",
    "stroke": "stroke",
    "breathing": "breathing_problems",
    "anaphylaxis": "allergies",
    "self_harm": "mental_health",
    "overdose_poisoning": "medication",
    "severe_bleeding": "injury",
    "head_injury": "head_injury",
    "blood_clot": "blood_clots",
    "seizure_unconscious": "seizures",
    "pregnancy_bleeding": "pregnancy",
    "cauda_equina": "spine",
    "severe_injury": "injury",
}
SELF_INFLICTED_KINDS = {"overdose_poisoning", "severe_bleeding", "breathing", "severe_injury"}
_PAYLOAD = re.compile(r"/\w+(/\w+)?(\{.*\})?", re.DOTALL)
_CLASSIFIER_FILE = "red_flag_classifier.joblib"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyLayer(AddonFingerprint, GraphComponent):
    """Place last in the pipeline, after MessageLengthLimit (first) and every classifier."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Out-of-fold share of ordinary training messages the classifier may flag (classifier.py). The whole
        # layer's budget is 1%; ordinary messages a visitor writes are harder than the training data's (on
        # the first blind batch the classifier's false alarms were 2-3 times its cross-validated rate), so
        # it gets a fifth of it.
        return {"max_false_alarm_rate": 0.002, "learned_needs_intent_rank": 1}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[RedFlagClassifier] = None) -> None:
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.classifier = classifier or RedFlagClassifier(config["max_false_alarm_rate"])
        self.rules = shared_rules()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyLayer:
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SafetyLayer:
        with model_storage.read_from(resource) as directory:
            classifier = joblib.load(directory / _CLASSIFIER_FILE)
        return cls({**cls.get_default_config(), **config}, model_storage, resource, classifier)

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_data.intent_examples
        # the visitor's own words, as read in `_decide` (before addons/shorthand.py spelled anything out)
        texts, intents = [m.get(FULL_TEXT) or m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples]
        self.classifier.fit(texts, intents)
        with self.model_storage.write_to(self.resource) as directory:
            joblib.dump(self.classifier, directory / _CLASSIFIER_FILE)
        return self.resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._decide(message)
        return messages

    def _decide(self, message: Message) -> None:
        text = message.get(FULL_TEXT) or message.get(TEXT) or ""
        findings = self.rules.check(text)
        flag = self._self_harm_behind(findings.current, text) or self._learned_red_flag(text, findings, message)
        if not (flag is None and _PAYLOAD.fullmatch(text.strip())):
            message.set(TEXT, (message.get(TEXT) or "").lstrip().lstrip("/"))
        if flag is not None:
            _set_intent(message, SELF_HARM_INTENT if flag.kind == SELF_HARM else EMERGENCY)
            _set_safety(message, red_flag=flag.kind, status=flag.status.value)
            return
        _drop_unconfirmed_red_flag(message)
        if not findings.names_medication_or_cure:
            _drop_unconfirmed_medication_question(message)
        context_flag = findings.past_or_hypothetical
        if context_flag is not None:
            if _answers_despite_history(message, context_flag, text):
                message.set(PROVIDER_POINTER, True, add_to_output=True)
            else:
                _set_intent(message, PERSONAL_QUESTION)
            _set_safety(message, red_flag=context_flag.kind, status=context_flag.status.value,
                        condition=KIND_CONDITIONS[context_flag.kind])
        elif findings.medication_or_cure:
            _set_intent(message, MEDICATION_OR_CURE)
        if _answers_without_changing_medication(message, findings):
            _set_intent(message, DRUG_FREE_PAIN_RELIEF)
            message.set(PROVIDER_POINTER, True, add_to_output=True)
            _set_safety(message, condition=MEDICATION)

    def _self_harm_behind(self, flag: Optional[RedFlag], text: Text) -> Optional[RedFlag]:
        """An overdose, a cut or a rope can be self-inflicted: when the classifier reads self-harm in the
        message, the visitor gets the crisis line first (its reply names the emergency number too)."""
        if flag is None or flag.kind not in SELF_INFLICTED_KINDS:
            return flag
        intent, _score = self.classifier.predict(text)
        return RedFlag(SELF_HARM, flag.status, flag.text) if intent == SELF_HARM_INTENT else flag

    def _learned_red_flag(self, text: Text, findings: Findings, message: Message) -> Optional[RedFlag]:
        # a quick reply's payload (`/faq_sleep`) is not the visitor's words: only the rules read it
        # the cheap checks first: most messages are ranked as no red flag by the intent model
        if _PAYLOAD.fullmatch(text.strip()) or not self._intent_model_agrees(message) or findings.judged_by_rules:
            return None
        intent, _score = self.classifier.predict(text)
        if intent is None:
            return None
        return RedFlag(SELF_HARM if intent == SELF_HARM_INTENT else LEARNED, Status.CURRENT, "")


    def _intent_model_agrees(self, message: Message) -> bool:
        """Two learned models must agree before a message no rule flags is sent to emergency services: the
        intent classifier ranks `emergency` or `self_harm` among its first `learned_needs_intent_rank`."""
        rank = self.config["learned_needs_intent_rank"]
        if not rank:
            return True
        # FAQ topics count as one kind of message, so 27 topics don't push a red flag down the ranking
        ranking = [r["name"] for r in by_kind(message.data) if r["name"] != "nlu_fallback"]
        return any(name in RED_FLAG_INTENTS for name in ranking[:rank])


def _answers_despite_history(message: Message, flag: RedFlag, text: Text) -> bool:
    """A general question after a past event ("six years of neck pain since a car accident ... can massage help
    manage chronic pain?"): the FAQ answer the gate chose, then the pointer to a provider tailored to that
    history. Not for a past crisis, a hypothetical, or a question a provider must judge (is it safe, should I)."""
    answered = (message.get(INTENT) or {}).get("name")
    return (flag.status == Status.PAST and flag.kind != SELF_HARM and is_faq(answered)
            and asks_only_whether_it_helps(text))


def _drop_unconfirmed_medication_question(message: Message) -> None:
    """The intent classifier read a medication or cure question in a message that names no medicine, cure or
    operation ("could massage hurt him, his cancer has spread", "can massage help my wrist now the cast is
    off, or is it too soon"): the other reply that sends the visitor to a provider, the provider suggestion."""
    if (message.get(INTENT) or {}).get("name") != MEDICATION_OR_CURE:
        return
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != MEDICATION_OR_CURE]
    personal = next((r for r in ranking if r.get("name") == PERSONAL_QUESTION), {"name": PERSONAL_QUESTION, "confidence": 0.0})
    _fall_back(message, [personal] + [r for r in ranking if r is not personal], asks_back=False)


def _answers_without_changing_medication(message: Message, findings: Findings) -> bool:
    """A medication question (by the rules or the classifier) about relieving pain, not about the visitor's own
    medicine and not about a cure (addons/safety/medication_or_cure.yml, checks): what the drug-free pain
    relief article answers. Its answer, with the note, tells the visitor what the clinic knows and leaves the
    medication to its doctor."""
    return (message.get(INTENT) or {}).get("name") == MEDICATION_OR_CURE and findings.drug_free_answer


def _set_intent(message: Message, name: Text) -> None:
    intent = {"name": name, "confidence": 1.0}
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)


def _set_safety(message: Message, **decision: Text) -> None:
    """What the safety layer saw, in the parse result and so in the stored conversation (`safety` key):
    the red flag's kind and status, and for a past or hypothetical one the condition to tailor advice to."""
    message.set(SAFETY, decision, add_to_output=True)


def _drop_unconfirmed_red_flag(message: Message) -> None:
    """The intent classifier predicted a red flag that neither the rules nor the classifier confirm: the gate's
    decision on its other readings, with the gate's thresholds and the questions it reads by their form
    ("knuckles hot and swollen today, should I cancel my 3pm?" is a personal question, not an article)."""
    intent = (message.get(INTENT) or {}).get("name")
    if intent not in RED_FLAG_INTENTS:
        return
    # (without the gate in the pipeline: the classifier's next guess)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in RED_FLAG_INTENTS]
    otherwise = message.get(DECISION_UNLESS_A_RED_FLAG)
    if otherwise is None:
        _fall_back(message, ranking, asks_back=not ranking)
        return
    message.set(FAQ_SUMMARY, otherwise[FAQ_SUMMARY], add_to_output=True)
    _fall_back(message, otherwise[INTENT_RANKING_KEY], asks_back=not otherwise["intent"], instead=otherwise["intent"])
    if otherwise["pointer"]:
        message.set(PROVIDER_POINTER, True, add_to_output=True)


def _fall_back(message: Message, ranking: List[Dict[Text, Any]], asks_back: bool,
               instead: Optional[Dict[Text, Any]] = None) -> None:
    """The intent of a reading the layers did not confirm: `instead`, else the next guess of `ranking`, or
    `nlu_fallback` (the "did you mean ...?" buttons, from the ranking kept)."""
    fallback = {"name": "nlu_fallback", "confidence": 0.0}
    message.set(INTENT, fallback if asks_back else instead or ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
