"""Rasa's FallbackClassifier, made aware that the 27 FAQ intents are topics of one kind of question.

Each FAQ topic is its own intent (faq_<topic>). Judged one by one, a clear FAQ question whose confidence is
split between two close topics ("blood and lymph") would look as unsure as an off-topic message. So the
decision has two steps, on the classifier's ranking:

1. Is it an FAQ at all, or which other intent? The FAQ intents count as one, with their summed confidence;
   FallbackClassifier's own `threshold` and `ambiguity_threshold` apply to that ranking.
2. If it is an FAQ, which topic? The topics' confidences given that it is an FAQ must pass
   `topic_threshold`, and the best must lead the next by `topic_ambiguity_threshold`.

Failing either step gives `nlu_fallback`, with the candidates kept in the ranking for the "did you mean ...?"
buttons (actions/fallback.py). Quick-reply payloads such as `/faq_sleep` are handled by Rasa itself.

An FAQ answer to a message the classifier also reads as personal (`personal_question` at or above
`pointer_threshold`) is flagged `provider_pointer`: the visitor gets the answer, then one line pointing to a
provider for their own situation (addons/clinic_responses.py). So is a personal question that only asks
whether massage helps with something an FAQ topic answers ("I'm 6 months pregnant and my back is killing
me, can massage help?"): the article answers it in general, and refusing it would leave the visitor with
less than the website gives. Questions only a provider can answer (is it safe, is it OK, should I, when
can I) stay `personal_question`. A message the classifier reads as personal and as an FAQ about equally
(within PERSONAL_OR_FAQ_MARGIN) gets the topic's answer with the pointer too, unless it asks whether massage
is safe for the visitor. And a question whether massage helps with chronic pain gets the answer to that, not
the definition of chronic pain.

Some questions are read by their form, after the confidences (`decide`): a question that asks the clinic to
judge the visitor's case (which treatment, how often, whether it treats a condition, whether to come while
unwell) is a personal question where the classifier read a booking or was unsure; a question what one's own
symptom is gets the diagnosis reply, not an article; a claim the articles never make (weight, detox, height,
cholesterol ...) is out of scope, not the nearest topic.

Where the classifier reads a red flag, the gate also decides as if it had not (the other readings, with their
confidences given no red flag): the safety layer after it confirms a learned red flag or drops it, and a dropped
one then gets that decision, not the classifier's bare next guess.

The parse keeps the FAQ summary (`faq`: the summed confidence and the best topics) and the ten best intents,
not all of them: every stored message carries its ranking, and a conversation is read back on each turn.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier, _fallback_intent
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.fingerprint import AddonFingerprint
from addons.safety.classifier import RED_FLAG_INTENTS
from clinic.follow_ups import HELPS, asked_topic, words_of
from clinic.topics import (
    FAQ,
    FAQ_SUMMARY,
    MEDICATION_OR_CURE,
    PERSONAL_QUESTION,
    PROVIDER_POINTER,
    RANKING_LENGTH,
    by_kind,
    faq_share,
    faq_summary,
    is_faq,
)

CONDITION = "condition"  # the entity of data/nlu/lookups.yml
# where the classifier reads a red flag, the decision on its other readings: the safety layer after this component
# confirms the red flag or drops it, and a dropped one must pass these thresholds like any other reading
DECISION_UNLESS_A_RED_FLAG = "decision_unless_a_red_flag"
FIRST_PERSON = {"i", "i'm", "im", "i've", "ive", "i'd", "my", "me", "mine", "we", "we've", "our", "us"}
# treatments other than massage: a question about one of them, with no word for massage, is out of scope
OTHER_TREATMENTS = {
    "acupuncture", "acupuncturist", "acupuncturists", "acupressure", "reiki", "cupping", "yoga", "pilates", "sauna", "saunas",
    "peppermint", "lavender", "eucalyptus", "supplement", "supplements", "magnesium", "vitamin", "vitamins",
    "turmeric", "curcumin", "cbd", "herbal", "herbs", "homeopathy", "homeopathic", "osteopath", "osteopaths", "osteopathy",
    "osteopathic", "meditation", "foods", "food", "diet", "tea", "teas", "melatonin", "collagen", "hypnosis",
    "hypnotherapy", "reflexology", "aromatherapy",
}
OTHER_TREATMENT_PHRASES = re.compile(r"\b(essential oils?|tea tree( oil)?|ice baths?|foam roll\w*|hot baths?|cold plunges?|tens machines?)\b")
MASSAGE_WORDS = {
    "massage", "massages", "massaging", "massaged", "masseuse", "masseur", "therapist", "therapists", "rub",
    "rubs", "rubdown", "bodywork", "kneading", "tissue", "hands", "clinic", "session", "sessions", "appointment",
}
# words that belong to any treatment ("my first acupuncture session"): they do not make a question one about massage
GENERIC_CLINIC_WORDS = {"session", "sessions", "appointment", "clinic", "therapist", "therapists", "hands"}
# words of the clinic's own business: "how often should I ..." about anything else is not a personal question
CLINIC_WORDS = MASSAGE_WORDS | {"treatment", "treatments", "therapy", "book", "booked", "booking", "physio", "physiotherapy",
                                 "come", "visit", "treat", "treating"}
OUT_OF_SCOPE = "out_of_scope"
# how close the personal and the FAQ reading may be for the topic's answer with a pointer to serve both
# (chosen by cross-validation: python -m evaluation.thresholds)
PERSONAL_OR_FAQ_MARGIN = 0.05
# words of a question whether massage is safe for the visitor: only a provider can answer it
ABOUT_SAFETY = {
    "safe", "safely", "safety", "unsafe", "risk", "risky", "risks", "harm", "harmful", "dangerous", "danger",
    "damage", "worse", "contraindicated", "avoid", "careful", "hurt", "allowed",
}
# ... or whether it suits them
SUITABILITY = ABOUT_SAFETY | {"idea", "suitable", "appropriate", "ok", "okay", "alright", "fine", "recommend",
                              "recommended", "suit", "suits"}
# a personal question that only asks whether massage helps (HELPS, actions/context.py), or whether it has an
# effect ("can it have any effect on blood pressure?"; not for asked_topic: "how does chronic pain affect
# daily life" asks what chronic pain is) ...
HAS_AN_EFFECT = {"effect", "effects", "affect", "reduce", "lower"}
# ... or says so colloquially ("chill it out", "take the edge off", "worth a shot", "loosen me up", "what would
# it do for it", "get me moving again", "bring his readings down")
HELPS_COLLOQUIALLY = re.compile(
    r"\b(chill|calm|soothe|settle|loosen|ease|sort) (out |down |up )?(it|them|that|this|these|those|me|him|her|things|my|his|their)\b"
    r"|\b(knock|bring|get|take) (it|them|that|this|these|those|my [\w']+|his [\w']+|her [\w']+|their [\w']+|the [\w']+)( [\w']+)? down\b"
    r"|\btake the edge off\b|\bworth a (shot|try|go)\b|\bknock (me|him|her|them) out\b"
    r"|\bdo (anything |much |something )?for (it|them|that|this|me|him|her)\b"
    r"|\bget (me|him|her|them|you) (\w+ ){0,2}(again|back)\b")
# ... and none of what only a provider can judge for them
PROVIDER_MUST_JUDGE = {
    "safe", "safely", "safety", "unsafe", "ok", "okay", "alright", "allowed", "risk", "risky", "harm", "harmful",
    "dangerous", "danger", "damage", "worse", "hurt", "should", "when", "wait", "yet", "still", "suitable",
    "recommend", "recommended", "avoid", "careful", "contraindicated", "which", "often",
    "book", "instead", "stop", "replace", "diagnose", "cause", "causing", "idea", "appropriate", "fine",
}


# how much they should have ("how much massage is too much for me?", "much better now, is it good for me?"), not
# "I game too much, would it help?"
MUCH_TO_JUDGE = re.compile(r"(?<!\btoo )(?<!\bso )(?<!\bvery )\bmuch\b")


BOOK_APPOINTMENT = "book_appointment"
ASK_DIAGNOSIS = "ask_diagnosis"
WHO = r"(i|we|he|she|they|my [\w']+|our [\w']+)"
# the visitor asks the clinic to judge their case: which treatment, how often, whether the clinic treats it,
# whether to take something first. Only a provider can answer; the classifier often reads these as a booking
# or is unsure, as their condition is one the articles never name.
# which treatment to book: a personal question even when the classifier found the topic of the condition ("tore
# her hamstring, which treatment should I book for her?")
WHICH_TO_BOOK = (
    rf"\b(which|what)( [\w']+){{0,3}} (treatment|massage|appointment|session|therapy|service|type|kind|one|option)s?"
    rf"( [\w']+){{0,2}} (should|do|would|shall|must|could) {WHO}( [\w']+){{0,2}} (book|need|have|get|choose|go for|pick)\b"
    rf"|\bwhat (should|shall|do) {WHO} (book|have|get|choose|go for)\b")
ASKS_WHICH_TO_BOOK = re.compile(WHICH_TO_BOOK)
ASKS_FOR_A_JUDGEMENT = re.compile(WHICH_TO_BOOK + (
    rf"|\bwhen should {WHO} (book|come|have|get|start|go)\b"
    r"|\b(suit|suits|suited to|suitable for|right for) (me|him|her|us|them|my)\b"
    rf"|\bhow (often|frequently|regularly|many (sessions|times|appointments|massages))( [\w']+){{0,2}}"
    rf" (should|do|would|must) {WHO}\b"
    rf"|\b(can|could|do|does|would|will) (any of |anyone at |one of |someone at )?(you|u|ya|you guys|your [\w']+|the clinic|the therapists?|someone there|anyone there)"
    rf"( [\w']+){{0,2}} (treat|work on|help with|deal with|handle|have experience|see|take on|do anything for)\b"
    rf"|\b(should|can|could|may|do) {WHO} (take|have|pop|use)( [\w']+){{0,3}} (before|after|ahead of|on the day of)"
    rf" (my|his|her|the|a|our) (appointment|massage|session|treatment)"
    # whether it would harm them: "help me or make it worse?", "could it make my blood pressure drop too low?",
    # "will deep tissue leave me black and blue?"
    r"|\bor (make|makes|making) (it|me|him|her|them|things|that) worse\b"
    r"|\bmake (it|me|him|her|them|my( [\w']+){1,2}|his( [\w']+){1,2}|her( [\w']+){1,2}) (drop|spike|go|get)? ?too (low|high|much)\b"
    r"|\bleave (me|him|her|them) (bruised|black and blue|covered in bruises)\b"
    # what the clinic would do or advise for them: "should u massage it or do i just ice it?", "which
    # treatment would you suggest for her?"
    r"|\bshould (you|u|ya|the therapists?|someone) (massage|treat|work on|rub|touch)\b"
    rf"|\b(which|what)( [\w']+){{0,3}} (treatment|massage|session|therapy|service|type|kind|option)s?( [\w']+){{0,2}}"
    r" (would|do|could|can|will) (you|u|ya|your [\w']+) (suggest|recommend|advise)\b"
    # whether to have a treatment, or whether it helps them in their case: "should i get deep tissue thurs or
    # is that too close to race day?", "can massage help me specifically?"
    rf"|(?<!why )\bshould {WHO} (get|have|book|do|try) (a |an |the |my |some )?([\w']+ )?(massage|tissue|session|treatment)\b"
    r"(?! (chair|chairs|gun|guns|voucher|vouchers|oil|oils|table|mat|pillow|ball|tool|device|cushion|gift|book))"
    r"|\b(help|suit|work for|do for) (me|him|her|them|us|my [\w']+)( [\w']+)? (specifically|personally|in particular)\b"
    r"|\bin (my|his|her|their) (case|situation)\b"))
# whether (or when) to come at all, asked in a flare-up, an illness, a pregnancy, during chemotherapy or after an
# operation: "RA flaring, should I keep my appointment?", "knee replaced three weeks ago, when can I book in?",
# "sprained it on Saturday, come in now or wait?"; a personal question even when the classifier found the topic
ASKS_WHETHER_TO_COME = re.compile(
    rf"\bshould {WHO} (keep|cancel|move|postpone|skip|reschedule|still (come|go|have|keep))( [\w']+){{0,3}} "
    r"(appointment|massage|session|booking|treatment)"
    r"|\b(keep|cancel|move|postpone|skip)( [\w']+){0,4} or (keep|cancel|move|postpone|skip|reschedule|wait)\b"
    rf"|\bwhen (can|could|may) {WHO} (book|come|have|get|start)\b"
    rf"|\b(can|could|should) {WHO} still (come|have|keep|make|go|book)\b"
    r"|\b(safe|ok|okay|alright|fine|wise) for (me|him|her|us|them|my [\w']+) to (still )?(come|attend|book|go ahead)\b"
    rf"|\bshould {WHO} (reschedule|rebook|cancel|postpone|move it|move my|move our)\b"
    r"|\b(is it|would it be|will it be) (ok|okay|alright|fine|safe|wise|sensible)( for (me|him|her|us|them))? to "
    r"(still )?(keep|come|come in|attend|go ahead with|have)( [\w']+){0,2} (appointment|massage|session|booking|treatment)")
# ... or whether to wait ("come in now or wait a couple of weeks?"): personal when the classifier is unsure; when
# it found a topic ("does massage help after knocks like that or should I wait a few days?"), its answer with a
# pointer serves both
ASKS_WHETHER_TO_WAIT = re.compile(
    rf"\bor (do|should|must|would) {WHO} (have to |need to |better )?wait\b"
    r"|\b(come|come in|book|book in|start)( now| today| this week)? or wait\b")
UNWELL = re.compile(r"\b(flare|flares|flaring|flared|ill|sick|unwell|fever|temperature|infection|infected|rash|"
                    r"injured|injury|covid|cold|flu|bug|virus|swollen|bruised|pain|sore|hurts?|hurting|aching|achy|"
                    r"worse|playing up|acting up|replaced|replacement|surgery|operation|stitches|torn|tore|sprained|"
                    r"fractured|broken|broke|sunburn|sunburnt|sunburned|burnt|burned|chemo|chemotherapy|radiotherapy|"
                    r"pregnant|trimester)\b")
# claims the clinic's articles never make ("can massage make me taller?", "does it lower cholesterol?"): the
# nearest topic's answer would answer a question nobody asked, so they are out of scope
CLAIMS_THE_ARTICLES_DO_NOT_MAKE = re.compile(
    r"\b(lose weight|losing weight|weight loss|slim down|slimming|burn (fat|calories)|burns (fat|calories)|fat loss|"
    r"belly fat|cellulite|detox\w*|toxins?|immune system|immunity|hair (loss|growth|grow)|grow (hair|taller)|taller|"
    r"height|eyesight|vision|cholesterol|loose skin|saggy skin|tighten\w* (my |the |loose |saggy )?skin|"
    r"wrinkles?|acne|glowing skin|younger|anti ?ageing|anti ?aging|bigger muscles|muscles bigger|muscle growth|"
    r"build muscle|building muscle|bulk up|metabolism|constipation|bloating|digestion|fertility|get pregnant|"
    r"sinus\w*|libido|memory|airways|(control|lower|reduce|balance|regulate|stabili[sz]e)\w* (my |your |his |her |the )?(blood sugar|glucose)|realign\w*|align (my |the |your )?(spine|back|hips)|"
    r"shrink\w* (a |my |the )?tumou?rs?|"
    # babies' complaints: the articles speak of massage in pregnancy, not of infant massage (whether massage can
    # start labour stays the pregnant visitor's question for a provider)
    r"colic|colicky|teething|(baby|babies|infant|infants|newborn|newborns)'?s? massage)\b"
    # a joke, a pun or a poem about a topic is not a question about it
    r"|\b(jokes?|puns?|riddles?|limericks?|poems?|haikus?)\b")
# the visitor asks what their own symptom is: "is that just a tight muscle?", "do I have carpal tunnel or is
# it just tension?" An article on the condition cannot tell them.
# (not "is that just a myth?", which doubts a claim)
NOT_A_CLAIM = (r"(?! (a |an )?(myth|hype|marketing|placebo|fad|trend|gimmick|story|nonsense|rubbish|something people"
               r"|in (my|your|our) head|wishful|temporary|short[ -]term|a quick fix|a one[ -]off|relaxation|relaxing|pampering|a luxury))")
ASKS_WHAT_IT_IS = re.compile(
    rf"\b(is|could|might) (that|it|this) (just|only|simply){NOT_A_CLAIM} \w+"
    rf"|\bor (is it|it's|is that|is this) (just|only)\b{NOT_A_CLAIM}"
    r"|\bdo (i|you think i) (have|got) (a |an )?(?!to\b)\w+( \w+)? or\b"
    r"|\bwhat('s| is) (causing|wrong with) (my|his|her|this|it)\b"
    r"|\b(could|might) (that|this|it) be (a |an )?\w+"
    r"|\bis (that|this|it) (a |an )?(sign|symptom) of\b")

# a symptom of the visitor's own, without which "is it just ...?" asks about a claim, not a body
SYMPTOM = re.compile(r"\b(hurts?|hurting|kills|killing|pain|pains|painful|aches?|aching|achy|sore|tight|tightness|numb|numbness|tingl\w*"
                     r"|clicks?|clicking|stiff|swollen|swelling|spasms?|cramps?|twinges?|throbs?|throbb\w*|burning|pins and needles)\b")


def decide(parse: Dict[Text, Any], threshold: float, ambiguity_threshold: float,
           topic_threshold: float, topic_ambiguity_threshold: float) -> Optional[Text]:
    """The gate's decision on a parse (its intent ranking, best first, and FAQ summary): the intent or FAQ
    topic to answer, or None to fall back. Also replayed by evaluation/thresholds.py."""
    decided = decide_by_confidence(parse, threshold, ambiguity_threshold, topic_threshold, topic_ambiguity_threshold)
    text = " ".join(words_of(parse.get(TEXT) or ""))
    words = set(text.split())
    speaks_of_self = bool(FIRST_PERSON & words)
    # (a personal question stays one when it asks whether massage suits the visitor: "is abdominal massage a good
    # idea for me? I have IBS, mostly constipation")
    if (is_faq(decided) or decided in (PERSONAL_QUESTION, MEDICATION_OR_CURE) and not words & SUITABILITY) and (
            CLAIMS_THE_ARTICLES_DO_NOT_MAKE.search(text)):
        return OUT_OF_SCOPE
    about_the_clinic = bool(words & CLINIC_WORDS) or bool(SYMPTOM.search(text))
    # (also out of scope: "should i get deep tissue thurs or is that too close to race day?")
    asks_whether_to_come = ASKS_WHETHER_TO_COME.search(text) and UNWELL.search(text)
    asks_to_judge = ASKS_FOR_A_JUDGEMENT.search(text) or asks_whether_to_come or (
        ASKS_WHETHER_TO_WAIT.search(text) and UNWELL.search(text))
    if (decided in (None, BOOK_APPOINTMENT, OUT_OF_SCOPE) and asks_to_judge or is_faq(decided) and (
            ASKS_WHICH_TO_BOOK.search(text) or asks_whether_to_come)) and about_the_clinic and (
            not asks_about_another_treatment(text)):
        return PERSONAL_QUESTION
    if (decided is None or is_faq(decided)) and speaks_of_self and SYMPTOM.search(text) and ASKS_WHAT_IT_IS.search(text):
        return ASK_DIAGNOSIS
    return decided


def decide_by_confidence(parse: Dict[Text, Any], threshold: float, ambiguity_threshold: float,
                         topic_threshold: float, topic_ambiguity_threshold: float) -> Optional[Text]:
    """The decision from the classifier's ranking alone."""
    kinds = by_kind(parse)
    if not kinds:
        return None
    text = parse.get(TEXT) or ""
    best, runner_up = kinds[0]["confidence"], (kinds[1]["confidence"] if len(kinds) > 1 else 0.0)
    if best < threshold:
        return None
    topic = clear_topic(parse, topic_threshold, topic_ambiguity_threshold)
    if topic and torn_between_personal_and_faq(kinds, text):
        return OUT_OF_SCOPE if asks_about_another_treatment(text) else asked_topic(topic, text)
    if best - runner_up < ambiguity_threshold and not both_point_to_a_provider(kinds):
        return None
    if kinds[0]["name"] == FAQ and topic is None:
        return None
    best_intent = parse[INTENT_RANKING_KEY][0]["name"]
    if (is_faq(best_intent) or best_intent in (PERSONAL_QUESTION, ASK_DIAGNOSIS)) and asks_about_another_treatment(text):
        return OUT_OF_SCOPE
    if is_faq(best_intent):
        return asked_topic(best_intent, text)
    if best_intent == PERSONAL_QUESTION and topic and asks_only_whether_it_helps(text):
        return asked_topic(topic, text)
    # the classifier's best intent: any other personal question stays personal
    return best_intent


def torn_between_personal_and_faq(kinds: List[Dict[Text, Any]], text: Text) -> bool:
    """The classifier reads the message as a personal question and as an FAQ question about equally ("how
    often should I come in? work stresses me out", "is it better to see a chiropractor, a massage therapist,
    or both?"): the topic's answer and a pointer to a provider serve both readings, unless the visitor asks
    whether it is safe for them, which only a provider can say."""
    if len(kinds) < 2 or {kinds[0]["name"], kinds[1]["name"]} != {FAQ, PERSONAL_QUESTION}:
        return False
    close = kinds[0]["confidence"] - kinds[1]["confidence"] < PERSONAL_OR_FAQ_MARGIN
    return close and not set(words_of(text)) & ABOUT_SAFETY


def both_point_to_a_provider(kinds: List[Dict[Text, Any]]) -> bool:
    """A personal question or a medication question ("I'm on sertraline, is massage ok with it?"): both
    replies send the visitor to their doctor and the clinic, so a close call between them needs no question back."""
    return len(kinds) > 1 and {kinds[0]["name"], kinds[1]["name"]} == {PERSONAL_QUESTION, MEDICATION_OR_CURE}


def clear_topic(parse: Dict[Text, Any], topic_threshold: float, topic_ambiguity_threshold: float) -> Optional[Text]:
    """The FAQ topic the message is about, if its confidence among the topics passes `topic_threshold` and
    leads the next by `topic_ambiguity_threshold`."""
    _, topics = faq_share(parse)
    if not topics:
        return None
    best, runner_up = topics[0][1], (topics[1][1] if len(topics) > 1 else 0.0)
    return topics[0][0] if best >= topic_threshold and best - runner_up >= topic_ambiguity_threshold else None


def asks_about_another_treatment(text: Text) -> bool:
    """"Does acupuncture work for migraines?", "is magnesium good for cramps?": the clinic's articles are
    about massage, and their answer on the condition would answer a question nobody asked."""
    words = words_of(text)
    return bool(OTHER_TREATMENTS.intersection(words) or OTHER_TREATMENT_PHRASES.search(" ".join(words))) and not (
        MASSAGE_WORDS.difference(GENERIC_CLINIC_WORDS).intersection(words))


def asks_only_whether_it_helps(text: Text) -> bool:
    """"can massage help?", "would it be good for him?", "is it worth it?", "can it take the edge off?", and
    nothing a provider must judge: whether it is safe or OK for them, what they should do, when or how much."""
    words = words_of(text)
    distinct = set(words)
    helps = distinct & (HELPS | HAS_AN_EFFECT) or HELPS_COLLOQUIALLY.search(" ".join(words))
    return bool(helps) and not distinct & PROVIDER_MUST_JUDGE and not MUCH_TO_JUDGE.search(" ".join(words))


def speaks_of_own_condition(parse: Dict[Text, Any]) -> bool:
    """The visitor names a condition as theirs or a relative's ("I've had migraines since I was a teenager",
    "my wife's fibromyalgia"): the `condition` entity beside a first-person word."""
    if not any(entity.get(ENTITY_ATTRIBUTE_TYPE) == CONDITION for entity in parse.get(ENTITIES) or []):
        return False
    return bool(FIRST_PERSON.intersection(words_of(parse.get(TEXT) or "")))


def wants_pointer(parse: Dict[Text, Any], pointer_threshold: float) -> bool:
    """An FAQ answer that should end with a pointer to a provider: the message reads as personal too, speaks
    of the visitor's own condition, or asks the clinic to judge their case as well ("do any of your therapists
    work on jaws, and would it help me?")."""
    if not is_faq((parse.get(INTENT) or {}).get("name")):
        return False
    personal = next((e["confidence"] for e in parse.get(INTENT_RANKING_KEY) or [] if e["name"] == PERSONAL_QUESTION), 0.0)
    text = " ".join(words_of(parse.get(TEXT) or ""))
    return personal >= pointer_threshold or speaks_of_own_condition(parse) or bool(ASKS_FOR_A_JUDGEMENT.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FaqGate(AddonFingerprint, FallbackClassifier):
    """In place of FallbackClassifier, after the intent classifier and before the safety layer."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **FallbackClassifier.get_default_config(),
            # below this topic confidence (given that the message is an FAQ) no answer is given
            "topic_threshold": 0.5,
            # if the two best topics are closer than this, the FAQ question is ambiguous
            "topic_ambiguity_threshold": 0.1,
            # an FAQ answer gets a pointer to a provider when `personal_question` has at least this confidence
            "pointer_threshold": 1.01,
        }

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            # the FAQ topics' share of the whole ranking, also for the safety layer after this component and
            # the "did you mean ...?" buttons
            message.set(FAQ_SUMMARY, faq_summary(ranking), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:RANKING_LENGTH], add_to_output=True)
            if not message.get(INTENT):
                continue
            decided = self._decide(message.data)
            if decided is None:
                fallback = _fallback_intent(self.component_config["threshold"])
                message.set(INTENT, fallback, add_to_output=True)
                message.get(INTENT_RANKING_KEY).insert(0, dict(fallback))
                continue
            if decided != message.get(INTENT).get("name"):
                confidence = next((e["confidence"] for e in ranking if e["name"] == decided), 0.0)
                message.set(INTENT, {"name": decided, "confidence": confidence}, add_to_output=True)
            if wants_pointer(message.data, self.component_config["pointer_threshold"]):
                message.set(PROVIDER_POINTER, True, add_to_output=True)
            if decided in RED_FLAG_INTENTS:
                message.set(DECISION_UNLESS_A_RED_FLAG, self._decide_unless_a_red_flag(message.data, ranking))
        return messages

    def _decide_unless_a_red_flag(self, parse: Dict[Text, Any], ranking: List[Dict[Text, Any]]) -> Dict[Text, Any]:
        """The intent (None: ask back) and pointer the message gets if the safety layer drops the red flag: the
        decision on the other readings, with their confidences given that the message is no red flag."""
        rest = 1.0 - sum(entry["confidence"] for entry in ranking if entry["name"] in RED_FLAG_INTENTS)
        others = [{**entry, "confidence": entry["confidence"] / rest} for entry in ranking
                  if entry["name"] not in RED_FLAG_INTENTS] if rest > 0 else []
        summary = faq_summary(others)
        decided = self._decide({**parse, INTENT_RANKING_KEY: others, FAQ_SUMMARY: summary}) if others else None
        confidence = next((entry["confidence"] for entry in others if entry["name"] == decided), 0.0)
        pointer = decided is not None and wants_pointer(
            {**parse, INTENT: {"name": decided}, INTENT_RANKING_KEY: others}, self.component_config["pointer_threshold"])
        # (the ranking and summary as they would be: the "did you mean ...?" buttons come from them)
        return {"intent": decided and {"name": decided, "confidence": confidence}, "pointer": pointer,
                INTENT_RANKING_KEY: others[:RANKING_LENGTH], FAQ_SUMMARY: summary}

    def _decide(self, parse: Dict[Text, Any]) -> Optional[Text]:
        config = self.component_config
        return decide(parse, config["threshold"], config["ambiguity_threshold"],
                      config["topic_threshold"], config["topic_ambiguity_threshold"])
