"""FaqGate: FallbackClassifier with the FAQ topics judged together, then the topic among them."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.faq_gate import FaqGate

GATE = FaqGate({**FaqGate.get_default_config(), "threshold": 0.4, "ambiguity_threshold": 0.05,
                "topic_threshold": 0.6, "topic_ambiguity_threshold": 0.1})


def parsed(*ranking, gate=GATE, text="a question"):
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text})
    message.set("intent", dict(entries[0]))
    message.set("intent_ranking", entries)
    gate.process([message])
    return message


def test_a_confident_topic_passes():
    assert parsed(("faq_sleep", 0.9), ("faq_stress_anxiety", 0.05), ("greet", 0.05)).get("intent")["name"] == "faq_sleep"


def test_topics_count_together_against_other_intents():
    # no topic alone reaches 0.4, but the message is clearly an FAQ question, about sleep
    message = parsed(("faq_sleep", 0.35), ("faq_depression_mood", 0.1), ("greet", 0.05), *[(f"x{i}", 0.05) for i in range(10)])
    assert message.get("intent")["name"] == "faq_sleep"


def test_an_unsure_topic_falls_back_keeping_the_candidates():
    message = parsed(("faq_lymph_flow", 0.45), ("faq_blood_circulation", 0.4), ("greet", 0.15))
    assert message.get("intent")["name"] == "nlu_fallback"
    assert [entry["name"] for entry in message.get("intent_ranking")[1:3]] == ["faq_lymph_flow", "faq_blood_circulation"]


def test_an_unsure_message_falls_back():
    assert parsed(("greet", 0.3), ("thank", 0.25), ("faq_sleep", 0.2)).get("intent")["name"] == "nlu_fallback"


def test_two_close_kinds_of_message_fall_back():
    assert parsed(("book_appointment", 0.45), ("faq_pregnancy", 0.43), ("greet", 0.12)).get("intent")["name"] == "nlu_fallback"


def test_a_message_read_clearly_as_personal_stays_personal():
    gate = FaqGate({**GATE.component_config, "topic_threshold": 0.5})
    message = parsed(("personal_question", 0.65), ("faq_sleep", 0.2), ("faq_stress_anxiety", 0.15), gate=gate)
    assert message.get("intent")["name"] == "personal_question"


def test_the_parse_keeps_ten_intents_and_the_faq_summary_of_all():
    message = parsed(("greet", 0.6), *[(f"faq_{i}", 0.02) for i in range(20)])
    assert message.get("intent")["name"] == "greet" and len(message.get("intent_ranking")) == 10
    summary = message.get("faq")
    assert summary["confidence"] == pytest.approx(0.4) and len(summary["topics"]) == 5
    assert summary["topics"][0]["confidence"] == pytest.approx(0.05)
    assert "faq" in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize("ranking", [[], None])
def test_a_message_without_a_ranking_is_left_as_it_is(ranking):
    message = Message(data={"text": ""})
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.0})
    message.set("intent_ranking", ranking)
    GATE.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


POINTING_GATE = FaqGate({**GATE.component_config, "pointer_threshold": 0.1})


def pointed(*ranking):
    return parsed(*ranking, gate=POINTING_GATE)


def test_an_faq_answer_read_as_personal_too_is_flagged_for_a_pointer():
    message = pointed(("faq_muscle_tension", 0.7), ("personal_question", 0.2), ("greet", 0.1))
    assert message.get("intent")["name"] == "faq_muscle_tension" and message.get("provider_pointer") is True
    assert "provider_pointer" in message.as_dict(only_output_properties=True)


def test_no_pointer_below_the_threshold_nor_without_an_faq_answer():
    assert not pointed(("faq_muscle_tension", 0.85), ("personal_question", 0.05), ("greet", 0.1)).get("provider_pointer")
    assert not pointed(("personal_question", 0.7), ("faq_muscle_tension", 0.2), ("greet", 0.1)).get("provider_pointer")
    assert not pointed(("faq_lymph_flow", 0.45), ("faq_blood_circulation", 0.4), ("personal_question", 0.15)).get("provider_pointer")


def test_an_faq_answer_to_someone_naming_their_own_condition_points_to_a_provider():
    from addons.faq_gate import wants_pointer

    migraine = [{"entity": "condition", "value": "migraines", "start": 10, "end": 19}]
    answered = {"intent": {"name": "faq_headaches"}, "intent_ranking": [{"name": "faq_headaches", "confidence": 1.0}]}
    assert wants_pointer({**answered, "text": "I've had migraines for years, can massage help?", "entities": migraine}, 0.5)
    # a condition in general, or first person with no condition, is a plain FAQ question
    assert not wants_pointer({**answered, "text": "can massage help migraines?", "entities": migraine}, 0.5)
    assert not wants_pointer({**answered, "text": "can I ask whether massage helps headaches", "entities": []}, 0.5)


PERSONAL_WITH_A_TOPIC = (("personal_question", 0.7), ("faq_pregnancy", 0.25), ("greet", 0.05))


@pytest.mark.parametrize("text", [
    "im 6 months pregnant and my back is killing me, can massage help?",
    "my wife is expecting, would massage be good for her back?",
])
def test_a_personal_question_that_only_asks_whether_massage_helps_gets_the_topic_and_a_pointer(text):
    message = parsed(*PERSONAL_WITH_A_TOPIC, gate=POINTING_GATE, text=text)
    assert message.get("intent")["name"] == "faq_pregnancy" and message.get("provider_pointer") is True


@pytest.mark.parametrize("text", [
    "I'm 30 weeks pregnant, is massage safe for me?", "pregnant, are massages ok?",
    "I'm pregnant, when can I have a massage?", "I'm pregnant, should I book deep tissue?",
    "I get panic attacks, is a massage a good idea for me",
])
def test_a_personal_question_a_provider_must_judge_stays_personal(text):
    assert parsed(*PERSONAL_WITH_A_TOPIC, gate=POINTING_GATE, text=text).get("intent")["name"] == "personal_question"


def test_a_personal_question_with_an_unsure_topic_stays_personal():
    message = parsed(("personal_question", 0.7), ("faq_pregnancy", 0.15), ("faq_sleep", 0.15), text="pregnant, can massage help?")
    assert message.get("intent")["name"] == "personal_question"


@pytest.mark.parametrize("text", ["Does acupuncture work for migraines?", "is magnesium good for muscle cramps",
                                  "essential oils for headaches?", "what foods are anti-inflammatory"])
def test_a_question_about_another_treatment_is_out_of_scope(text):
    assert parsed(("faq_headaches", 0.9), ("greet", 0.1), text=text).get("intent")["name"] == "out_of_scope"


@pytest.mark.parametrize("text", ["is massage or acupuncture better for migraines?", "can massage help migraines?",
                                  "does a massage with lavender oil help me sleep"])
def test_a_question_about_massage_naming_another_treatment_keeps_its_topic(text):
    assert parsed(("faq_headaches", 0.9), ("greet", 0.1), text=text).get("intent")["name"] == "faq_headaches"


def test_a_message_read_as_personal_and_as_an_faq_about_equally_gets_the_topic_and_a_pointer():
    message = parsed(("personal_question", 0.45), ("faq_stress_anxiety", 0.43), ("greet", 0.12), gate=POINTING_GATE,
                     text="so stressed with work lately, how often should I come in?")
    assert message.get("intent")["name"] == "faq_stress_anxiety" and message.get("provider_pointer") is True


def test_a_close_call_about_whether_it_is_safe_is_never_an_faq_answer():
    message = parsed(("personal_question", 0.45), ("faq_stress_anxiety", 0.43), ("greet", 0.12), gate=POINTING_GATE,
                     text="is it safe for me to come in weekly with my anxiety?")
    assert not message.get("intent")["name"].startswith("faq_")


@pytest.mark.parametrize("text, topic", [
    ("can bodywork help control aches that never go away?", "faq_pain_management"),
    ("will massage make long-term pain easier to manage", "faq_pain_management"),
    ("what does chronic mean, pain that never goes away?", "faq_chronic_pain"),
    ("what is chronic pain, I don't know this word good", "faq_chronic_pain"),
    ("is massage good for chronic pain?", "faq_pain_management"),
    ("what's the difference between chronic pain and normal soreness?", "faq_chronic_pain"),
    # right after an answer, an elliptical "and for ...?" asks whether massage helps with it too
    ("and for chronic pain?", "faq_pain_management"),
    ("ok what about for long term pain", "faq_pain_management"),
    ("tips for coping with pain that never goes away", "faq_pain_management"),
])
def test_asking_whether_massage_helps_gets_the_help_topic_not_the_definition(text, topic):
    assert parsed(("faq_chronic_pain", 0.8), ("greet", 0.2), text=text).get("intent")["name"] == topic


@pytest.mark.parametrize("text", ["is lavender oil safe to use on my skin?", "should I take magnesium for my cramps"])
def test_a_personal_question_about_another_treatment_is_out_of_scope(text):
    assert parsed(("personal_question", 0.9), ("greet", 0.1), text=text).get("intent")["name"] == "out_of_scope"


def test_a_personal_question_about_massage_with_another_treatment_stays_personal():
    text = "I take magnesium every night, is a massage ok for me?"
    assert parsed(("personal_question", 0.9), ("greet", 0.1), text=text).get("intent")["name"] == "personal_question"


def test_a_close_call_between_a_personal_and_a_medication_question_needs_no_question_back():
    message = parsed(("personal_question", 0.44), ("medication_or_cure", 0.43), ("greet", 0.13),
                     text="I'm on sertraline, is massage ok with it?")
    assert message.get("intent")["name"] == "personal_question"


def intent_of(*ranking, text):
    return parsed(*ranking, text=text).get("intent")["name"]


def clearly_read_as(intent, text):
    """The gate's decision when the classifier reads `text` clearly as `intent`."""
    return intent_of((intent, 0.8), ("out_of_scope", 0.15), ("greet", 0.05), text=text)


@pytest.mark.parametrize("text", [
    "my shoulder's frozen, what kind of massage should I go for?",
    "which session would my dad need for his stiff hip?",
    "how often should we come in for my wife's sciatica?",
    "do your therapists work on bunions at all? mine are awful",
    "could I have paracetamol ahead of my massage tomorrow?",
    # whether it would harm them
    "my gout is flaring, would massage help me or make it worse?",
    "I'm on beta blockers, could a massage make my heart rate go too low?",
    "I'm on blood thinners, will a firm massage leave me bruised?",
    # what the clinic would do or advise for them
    "twisted my knee on the stairs, should you massage it or should I rest it?",
    "my dad has Parkinson's and stiff arms, what kind of massage would you recommend for him?",
    # whether to have a treatment, or whether it helps them in their case
    "big race on saturday, should I get a sports massage on wednesday or is that too late?",
    "I have lupus, could massage help me personally?",
])
def test_asking_the_clinic_to_judge_ones_case_is_a_personal_question(text):
    # read as a booking, out of scope, or too unsure to answer: only a provider can choose a treatment for someone
    assert intent_of(("book_appointment", 0.7), ("personal_question", 0.2), ("greet", 0.1), text=text) == "personal_question"
    assert intent_of(("personal_question", 0.3), ("book_appointment", 0.28), ("greet", 0.25), text=text) == "personal_question"
    assert intent_of(("out_of_scope", 0.7), ("personal_question", 0.2), ("greet", 0.1), text=text) == "personal_question"


@pytest.mark.parametrize("text", ["why should I get a massage?", "should I get a massage chair or a foam roller?"])
def test_asking_why_to_have_a_massage_or_what_to_buy_is_no_request_for_a_judgement(text):
    assert intent_of(("out_of_scope", 0.7), ("personal_question", 0.2), ("greet", 0.1), text=text) == "out_of_scope"


@pytest.mark.parametrize("text", ["can I book a 60 minute massage for Friday?", "what times do you have next week?",
                                  "when can I book a massage?",
                                  "which therapist is free on Saturday?"])
def test_a_plain_booking_stays_a_booking(text):
    assert intent_of(("book_appointment", 0.8), ("personal_question", 0.1), ("greet", 0.1), text=text) == "book_appointment"


@pytest.mark.parametrize("text", [
    "my calf cramps every night, is it just dehydration?",
    "my hands tingle when I drive, do I have arthritis or is it just my grip",
    "what's causing my knee pain when I kneel?",
    "my wrist is killing me after typing, what's wrong with it?",
    "there's a burning ache under my shoulder blade, could it be a trapped nerve?",
    "my heel is sore every morning, is this a sign of something?",
    "my temple throbs every afternoon, what's causing it?",
])
def test_asking_what_ones_own_symptom_is_gets_the_diagnosis_reply_not_an_article(text):
    assert intent_of(("faq_muscle_tension", 0.8), ("ask_diagnosis", 0.15), ("greet", 0.05), text=text) == "ask_diagnosis"


@pytest.mark.parametrize("text", ["does massage really help migraines or is it just hype?",
                                  "is lymph drainage a real thing or is it just marketing?",
                                  "my friend says massage helps muscle spasms, is that just a myth?",
                                  "my legs are always tight, can massage really loosen them or is it only temporary?"])
def test_a_skeptical_question_keeps_its_topic(text):
    assert intent_of(("faq_muscle_tension", 0.8), ("ask_diagnosis", 0.15), ("greet", 0.05), text=text) == "faq_muscle_tension"


@pytest.mark.parametrize("intent", ["faq_range_of_motion", "personal_question", "medication_or_cure"])
@pytest.mark.parametrize("text", ["can a massage boost my immune system?", "does massage speed up your metabolism",
                                  "will regular massage get rid of my wrinkles?", "can massage realign my hips?",
                                  "does massage lower your blood sugar?"])
def test_a_claim_the_articles_never_make_is_out_of_scope_not_the_nearest_topic(text, intent):
    assert clearly_read_as(intent, text) == "out_of_scope"


def test_whether_massage_is_safe_with_a_condition_outside_the_articles_stays_personal():
    text = "I have high cholesterol, is massage safe for me?"
    assert clearly_read_as("personal_question", text) == "personal_question"


# whether to come while unwell, when to come, or whether the clinic treats it: a provider judges, not the booking page
COMING_WHILE_UNWELL = [
    "my eczema is flaring up badly, should I still come to my massage on Friday?",
    "got a nasty cold, should we postpone my husband's session tomorrow?",
    "bit of a fever since last night, is it alright to still come to my appointment?",
    "had my hip replaced a month ago, when can I come in for a massage?",
    "woke up with a fever, can I still come for my 11am or should I reschedule?",
    "my shoulders are sunburnt and I'm booked in tomorrow, should I move it?",
    "tore my calf playing squash, when should I book in?",
    "my gout is playing up in my toe, keep tomorrow's massage or cancel?",
    "lower back's gone into spasm, can u treat it?",
    "sprained my ankle yesterday, book in now or wait till the swelling's down?",
    "on chemo at the moment, can I still book a massage?",
    "my husband's in the middle of radiotherapy, is it safe for him to come for his massage?",
    "I'm pregnant with twins, can we book now or do we have to wait a few weeks?",
]


@pytest.mark.parametrize("text", COMING_WHILE_UNWELL)
def test_whether_or_when_to_come_while_unwell_is_a_personal_question(text):
    assert intent_of(("book_appointment", 0.6), ("personal_question", 0.2), ("greet", 0.2), text=text) == "personal_question"


def test_moving_an_appointment_for_other_reasons_stays_a_booking():
    text = "my train is late, should I move my appointment to 4pm?"
    assert intent_of(("book_appointment", 0.8), ("personal_question", 0.1), ("greet", 0.1), text=text) == "book_appointment"


@pytest.mark.parametrize("text", ["the gym's made my calves rock hard, can a massage loosen them a bit?",
                                  "my mum's on chemo and exhausted, would a massage take the edge off for her?",
                                  "dodgy knee from skiing, is massage worth a try?",
                                  "would a massage calm down my racing thoughts at night?",
                                  "could a massage knock me out so I finally sleep through?",
                                  "my hips are so tight, could massage get me moving freely again?",
                                  "does massage really have an effect on it, or is that hype?",
                                  "could a massage lower it a little?",
                                  "my bp keeps climbing year on year, could massage bring it down?",
                                  "my back's been wrecked for a month, can a massage sort out those knots?",
                                  "I type way too much at work and my wrists ache, would massage help?"])
def test_a_personal_question_asking_colloquially_whether_massage_helps_gets_the_topic_and_a_pointer(text):
    message = parsed(*PERSONAL_WITH_A_TOPIC, gate=POINTING_GATE, text=text)
    assert message.get("intent")["name"] == "faq_pregnancy" and message.get("provider_pointer") is True


@pytest.mark.parametrize("intent", ["personal_question", "ask_diagnosis"])
@pytest.mark.parametrize("text", ["how long is a reiki session usually?", "do acupuncturists use the same needles twice?"])
def test_a_question_about_another_treatments_session_is_out_of_scope(text, intent):
    assert clearly_read_as(intent, text) == "out_of_scope"


def test_a_joke_about_a_topic_is_not_the_topic():
    text = "got any funny jokes about chiropractors?"
    assert clearly_read_as("faq_chiropractor", text) == "out_of_scope"


def test_a_personal_question_a_provider_must_judge_is_not_a_claim():
    text = "I get bloating and constipation, would a tummy massage be a good idea for me?"
    assert clearly_read_as("personal_question", text) == "personal_question"


def test_whether_massage_would_suit_someone_is_a_personal_question():
    text = "I've got lupus and get stiff joints, is there a reason massage wouldn't suit me?"
    assert intent_of(("greet", 0.3), ("thank", 0.28), ("faq_sleep", 0.2), text=text) == "personal_question"


# (message, what the classifier clearly read, what the gate decides)
CLEAR_READINGS = [
    # "stop" and "when" make a personal question a provider's, but not a claim the articles never make
    ("could massage boost my immunity so I stop getting every cold?", "personal_question", "out_of_scope"),
    ("does massage make kids taller when they're still growing?", "personal_question", "out_of_scope"),
    # which treatment to book is personal even when the condition has a topic
    ("my son pulled his calf at rugby last week, which massage should I book for him?", "faq_exercise_recovery",
     "personal_question"),
    # whether to come while unwell is personal even when the classifier found a topic
    ("my knee's swollen after yesterday's fall, should I cancel my session?", "faq_post_surgery", "personal_question"),
    ("I had shoulder surgery last month, when can I start coming for massage?", "faq_post_surgery",
     "personal_question"),
    # whether massage helps or to wait stays the topic: its answer, with a pointer, serves both readings
    ("bruised my thigh at football, does massage help with knocks or should I wait a few days?",
     "faq_exercise_recovery", "faq_exercise_recovery"),
]


@pytest.mark.parametrize("text, read_as, decided", CLEAR_READINGS)
def test_what_a_clear_reading_becomes(text, read_as, decided):
    assert clearly_read_as(read_as, text) == decided


def test_an_faq_answer_that_also_asks_whether_the_clinic_treats_it_points_to_a_provider():
    from addons.faq_gate import wants_pointer

    answered = {"intent": {"name": "faq_muscle_tension"}, "intent_ranking": [{"name": "faq_muscle_tension", "confidence": 1.0}]}
    assert wants_pointer({**answered, "text": "does anyone at your clinic work on necks, and can massage ease spasms?"}, 0.5)
    assert not wants_pointer({**answered, "text": "can massage ease muscle spasms?"}, 0.5)


@pytest.mark.parametrize("text", ["can tummy massage settle a colicky baby?", "do you do baby massage for teething?"])
def test_infant_complaints_are_claims_the_articles_never_make(text):
    assert clearly_read_as("faq_pregnancy", text) == "out_of_scope"


def test_whether_massage_can_start_labour_stays_a_question_for_a_provider():
    assert clearly_read_as("personal_question", "I'm 40 weeks, could a massage help start labour for me?") == "personal_question"
