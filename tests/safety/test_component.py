"""The safety layer as Rasa runs it (last NLU component): what it overrides, and what it leaves alone."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.message_limit import MessageLengthLimit
from addons.safety.classifier import RedFlagClassifier
from addons.safety.component import SafetyLayer

# A small training set of its own: enough for the classifier to learn "burden"/"goodbye" style statements.
SELF_HARM = [
    "everyone would be better if I was gone", "i feel like such a burden to everybody", "i'm saying my goodbyes",
    "there is nothing left for me", "i can't see a way out anymore", "tonight is the night i end it",
    "nobody will notice when i'm gone", "i've made up my mind to go", "i'm done with everything, for good",
    "i just want the pain inside to stop forever",
]
EMERGENCY = [
    "my dad went grey and is sweating buckets", "she's making a gurgling sound and won't wake",
    "his lips went a funny colour and he's not moving", "he's on the floor jerking", "blood everywhere from his arm",
    "she swallowed something from under the sink", "i'm seeing double and my arm is dead", "baby is floppy and pale",
    "he fell off the roof", "my throat is closing up",
]
OTHER = [
    "does massage help with stress", "what are your opening hours", "hi there", "thanks a lot",
    "can massage help my back", "is deep tissue painful", "how much is a session", "bye",
    "can massage improve sleep", "what is myofascial release", "do you do prenatal massage",
    "my shoulders are tight from work", "is massage good for headaches", "can I bring my kid",
    "what should I wear", "do you take insurance", "massage for runners", "tell me a joke",
    "what is trigger point therapy", "how long is a massage", "can massage help fibromyalgia",
    "where are you located", "is there parking", "who are you", "i'm bored at work",
    "my legs are dead after leg day", "this knot is killing me", "i'm dying to try hot stone",
    "my golf stroke is off", "the last massage knocked me out",
]


@pytest.fixture(scope="module")
def layer():
    texts = SELF_HARM + EMERGENCY + OTHER
    intents = ["self_harm"] * len(SELF_HARM) + ["emergency"] * len(EMERGENCY) + ["faq_sleep"] * len(OTHER)
    classifier = RedFlagClassifier(max_false_alarm_rate=0.05).fit(texts, intents)
    return SafetyLayer({**SafetyLayer.get_default_config()}, None, None, classifier)


def parse(layer, text, intent="faq_sleep", confidence=0.9, ranking=None):
    message = Message(data={"text": text})
    MessageLengthLimit(max_characters=1000).process([message])
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", ranking or [{"name": intent, "confidence": confidence}])
    layer.process([message])
    return message


def test_a_red_flag_overrides_a_confident_faq_prediction(layer):
    message = parse(layer, "does massage help chest pain? I have crushing chest pain right now")
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert message.get("safety") == {"red_flag": "cardiac", "status": "current"}


def test_self_harm_gets_its_own_intent_for_the_crisis_line(layer):
    assert parse(layer, "I want to end my life").get("intent")["name"] == "self_harm"


def test_a_slash_command_cannot_skip_the_safety_layer(layer):
    message = parse(layer, "/greet I want to kill myself", intent="greet")
    assert message.get("intent")["name"] == "self_harm"
    # without its slash, Rasa's RegexMessageHandler (after this component) cannot turn it into `greet`
    assert not message.get("text").startswith("/")


@pytest.mark.parametrize("payload", ["/greet", "/faq_sleep", '/personal_question{"condition": "pregnancy"}'])
def test_known_button_payloads_keep_their_slash(layer, payload):
    assert parse(layer, payload).get("text") == payload


def test_a_payload_hiding_a_red_flag_loses_its_slash(layer):
    message = parse(layer, '/personal_question{"condition": "I want to kill myself"}', intent="personal_question")
    assert message.get("intent")["name"] == "self_harm"
    assert not message.get("text").startswith("/")


def test_free_text_after_a_slash_is_understood_as_text(layer):
    message = parse(layer, "/hello can massage help me sleep")
    assert message.get("text") == "hello can massage help me sleep"


def test_a_red_flag_after_the_first_1000_characters_is_seen(layer):
    text = "I have a question about booking a massage for my shoulders. " * 30 + "my chest is crushing right now"
    message = parse(layer, text)
    assert len(message.get("text")) == 1000  # the classifiers read the first 1,000 characters
    assert message.get("intent")["name"] == "emergency"


def test_a_past_red_flag_gets_a_tailored_provider_suggestion(layer):
    message = parse(layer, "I had a stroke two years ago, is massage ok for me?")
    assert message.get("intent")["name"] == "personal_question"
    assert message.get("safety") == {"red_flag": "stroke", "status": "past", "condition": "stroke"}


def test_a_negated_red_flag_leaves_the_prediction_alone(layer):
    message = parse(layer, "no chest pain, just a stiff neck, can massage help?")
    assert message.get("intent") == {"name": "faq_sleep", "confidence": 0.9}


def test_a_medication_question_never_stays_an_faq_answer(layer):
    message = parse(layer, "can massage take the place of my blood pressure pills?")
    assert message.get("intent")["name"] == "medication_or_cure"


def test_the_classifier_adds_what_no_rule_names(layer):
    message = parse(layer, "i feel like such a burden, everyone would be better if i was gone")
    assert message.get("intent")["name"] == "self_harm"
    assert message.get("safety") == {"red_flag": "self_harm", "status": "current"}


def test_the_classifier_does_not_overrule_the_rules(layer):
    # the rules know this is a past event; a learned "emergency" score must not turn it into one
    message = parse(layer, "my dad had a heart attack in 2019, can he get a massage?")
    assert message.get("intent")["name"] == "personal_question"


def test_an_unconfirmed_diet_red_flag_falls_back_to_its_next_guess(layer):
    ranking = [{"name": "emergency", "confidence": 0.6}, {"name": "faq_sleep", "confidence": 0.3}]
    message = parse(layer, "my upper back is one big knot", intent="emergency", confidence=0.6, ranking=ranking)
    assert message.get("intent") == {"name": "faq_sleep", "confidence": 0.3}


def gated_then_checked(layer, text, *ranking):
    from addons.faq_gate import FaqGate

    gate = FaqGate({**FaqGate.get_default_config(), "threshold": 0.4, "ambiguity_threshold": 0.05,
                    "topic_threshold": 0.6, "topic_ambiguity_threshold": 0.1, "pointer_threshold": 0.1})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text})
    MessageLengthLimit(max_characters=1000).process([message])
    message.set("intent", dict(entries[0]))
    message.set("intent_ranking", entries)
    layer.process(gate.process([message]))
    return message


def test_an_unconfirmed_red_flag_gives_way_to_the_gates_decision_on_the_other_readings(layer):
    # read by its form once the red flag is gone: whether to come while unwell is for a provider
    text = "my fingers are puffy and sore this morning, should I cancel my 2 o'clock?"
    ranking = [("emergency", 0.55), ("faq_osteoarthritis", 0.15), ("book_appointment", 0.1), ("faq_inflammation", 0.05),
               ("greet", 0.15)]
    assert gated_then_checked(layer, text, *ranking).get("intent")["name"] == "personal_question"
    # too unsure among the other readings: "did you mean ...?", not the next guess
    ranking = [("emergency", 0.5), ("faq_sleep", 0.15), ("greet", 0.14), ("thank", 0.11), ("goodbye", 0.1)]
    assert gated_then_checked(layer, "my upper back is one big knot", *ranking).get("intent")["name"] == "nlu_fallback"
    # the others' confidences given that it is no red flag: a clear topic, with the pointer where personal too
    ranking = [("emergency", 0.5), ("faq_muscle_tension", 0.4), ("personal_question", 0.1)]
    message = gated_then_checked(layer, "my upper back is one big knot", *ranking)
    assert message.get("intent")["name"] == "faq_muscle_tension" and message.get("provider_pointer") is True


def test_a_pain_relief_question_without_medicine_gets_the_drug_free_answer_and_the_note(layer):
    topics = {"confidence": 0.4, "topics": [{"name": "faq_drug_free_pain_relief", "confidence": 0.9}]}
    message = Message(data={"text": "can massage ease aches instead of painkillers?", "faq": topics})
    MessageLengthLimit(max_characters=1000).process([message])
    message.set("intent", {"name": "faq_drug_free_pain_relief", "confidence": 0.4})
    message.set("intent_ranking", [{"name": "faq_drug_free_pain_relief", "confidence": 0.4}])
    layer.process([message])
    assert message.get("intent")["name"] == "faq_drug_free_pain_relief"
    assert message.get("provider_pointer") is True
    # the provider pointer for "medication" says not to change it without its doctor (actions/provider.py)
    assert message.get("safety") == {"condition": "medication"}


def test_a_question_about_stopping_ones_own_medicine_gets_the_medication_answer(layer):
    message = parse(layer, "can I drop my painkillers if I have massage every week?")
    assert message.get("intent")["name"] == "medication_or_cure"
    assert message.get("provider_pointer") is None


def test_a_medication_reading_of_a_message_naming_no_medicine_gets_the_provider_suggestion(layer):
    ranking = [{"name": "medication_or_cure", "confidence": 0.7}, {"name": "faq_muscle_tension", "confidence": 0.2}]
    message = parse(layer, "my cast is off, can massage help my wrist now or is it too soon", intent="medication_or_cure",
                    confidence=0.7, ranking=ranking)
    assert message.get("intent") == {"name": "personal_question", "confidence": 0.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["personal_question", "faq_muscle_tension"]


def test_a_medication_reading_of_a_personal_question_naming_no_medicine_gets_the_next_guess(layer):
    ranking = [{"name": "medication_or_cure", "confidence": 0.5}, {"name": "personal_question", "confidence": 0.4}]
    message = parse(layer, "his cancer has reached his bones, could a massage hurt him", intent="medication_or_cure",
                    confidence=0.5, ranking=ranking)
    assert message.get("intent") == {"name": "personal_question", "confidence": 0.4}


def test_a_general_question_after_a_past_event_keeps_its_answer_and_gets_a_tailored_pointer(layer):
    message = parse(layer, "I had a stroke in 2019 and recovered well, can massage help with stress?",
                    intent="faq_stress_anxiety")
    assert message.get("intent")["name"] == "faq_stress_anxiety" and message.get("provider_pointer") is True
    assert message.get("safety")["condition"] == "stroke"


def test_a_question_a_provider_must_judge_after_a_past_event_stays_personal(layer):
    message = parse(layer, "I had a stroke in 2019, is a massage safe for me?", intent="faq_stress_anxiety")
    assert message.get("intent")["name"] == "personal_question"
