"""The rule layer and ConText alone, without a model: kinds, and what context does to them.

These phrasings are written for the tests, one per behaviour; the blind sets (test_blind_sets.py) measure
the layers on language nobody here wrote.
"""
import pytest

from addons.safety.check import shared_rules
from addons.safety.context import Status


def flags(text):
    return {(flag.kind, flag.status) for flag in shared_rules().check(text).red_flags}


def current_kind(text):
    flag = shared_rules().check(text).current
    return flag.kind if flag else None


@pytest.mark.parametrize(
    "text, kind",
    [
        ("my husband is clutching his chest and sweating", "cardiac"),
        ("feels like an elephant is sitting on my chest", "cardiac"),
        ("her face is drooping on one side and her speech is slurred", "stroke"),
        ("suddenly my left arm went weak and I can't find my words", "stroke"),
        ("my son's lips are turning blue, he can't breathe", "breathing"),
        ("ate peanuts and now my tongue is swelling up", "anaphylaxis"),
        ("I've been stockpiling my pills", "self_harm"),
        ("I gave away all my things this week", "self_harm"),
        ("i want to disappear forever", "self_harm"),
        ("I just took 30 tylenol", "overdose_poisoning"),
        ("my toddler drank some bleach", "overdose_poisoning"),
        ("I'm vomiting blood", "severe_bleeding"),
        ("the cut won't stop bleeding, it's soaked through two towels", "severe_bleeding"),
        ("he hit his head and now he keeps vomiting and seems confused", "head_injury"),
        ("my calf is swollen, red and hot and I'm short of breath", "blood_clot"),
        ("my dad collapsed and isn't responding", "seizure_unconscious"),
        ("I'm 10 weeks pregnant and bleeding heavily", "pregnancy_bleeding"),
        ("sciatica and now I can't feel anything between my legs and can't control my bladder", "cauda_equina"),
        ("my back went yesterday and now my legs can barely support me", "cauda_equina"),
        ("sciatica for weeks and today I can't feel the toilet seat properly", "cauda_equina"),
        ("I have a tight chest and my left arm is numb", "cardiac"),
        ("I can't cope, I'm going to hurt myself", "self_harm"),
        ("I'm not going to be around much longer", "self_harm"),
        ("nothing helps anymore and there's no point, tonight's the night", "self_harm"),
        ("cancel my sessions, I won't be needing them anymore, I've made my decision", "self_harm"),
        ("nobody will have to worry about me after tonight", "self_harm"),
        ("my wife is bleeding heavily at 30 weeks gestation", "pregnancy_bleeding"),
        ("blood is streaming out of the cut on his arm", "severe_bleeding"),
        ("patient is cyanotic and gasping", "breathing"),
        ("I fell about 3 metres off scaffolding and can't stand", "severe_injury"),
    ],
)
def test_each_kind_is_found_in_everyday_words(text, kind):
    assert (kind, Status.CURRENT) in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        # the false alarms
        "Is massage good after a stroke?",
        "can I book a massage two years after my heart attack?",
        "Do you offer emergency appointments?",
        "I hurt myself at the gym, can massage help?",
        "long gliding strokes in Swedish massage",
        "no emergency here, just curious, does massage help sleep?",
        "I fainted once years ago",
        # negation, past, hypothetical, other senses
        "no chest pain, just a stiff neck",
        "I'm not suicidal, just really stressed",
        "I had a blood clot in 2019, is massage OK now?",
        "what if someone has a seizure during a massage?",
        "my swimming stroke is off since my shoulder injury",
        "this knot is killing me",
        "I'm dying to try hot stone massage",
        "laughed so hard I couldn't breathe",
        "the massage knocked me out, I slept like a baby",
        "I overdosed on netflix this weekend",
        "I'm writing an essay on suicide prevention",
        "my legs won't hold me after that long hike, is massage good for tired legs?",
        "tight chest after bench press and my arms are sore, can massage help?",
        "I can't do this stretch, is it going to hurt my back?",
        "finally finished my exams, tonight's the night I book that massage",
        "no point waiting, tonight's the night for a massage",
        "I won't be needing my appointments, I'm moving to Spain next month",
        "I won't need the rest of my sessions, thanks for everything, the massages fixed my back",
        "what is the gestational age where prenatal massage is ok",
    ],
)
def test_ordinary_questions_are_not_red_flags(text):
    assert current_kind(text) is None


@pytest.mark.parametrize(
    "text, kind, status",
    [
        ("no chest pain, just a stiff neck", "cardiac", Status.NEGATED),
        ("I had a stroke last year, can I get a massage?", "stroke", Status.PAST),
        ("had a heart attack in 2019", "cardiac", Status.PAST),
        ("what if someone has a seizure during a massage?", "seizure_unconscious", Status.HYPOTHETICAL),
    ],
)
def test_context_says_why_a_red_flag_is_not_current(text, kind, status):
    assert (kind, status) in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "I had a stroke last year and now my face is drooping again",
        "no chest pain yesterday but today my chest is crushing",
        "not sure if this is a heart attack but my chest feels crushed",
        "my son just had a seizure",
        "I don't know if he's breathing",
        "can't stop thinking about killing myself",
    ],
)
def test_a_current_red_flag_wins_over_context_elsewhere(text):
    assert current_kind(text) is not None


def test_self_harm_comes_first_when_a_message_has_two_kinds():
    assert current_kind("I took 30 pills because I want to die") == "self_harm"


@pytest.mark.parametrize(
    "text",
    [
        "can massage replace my blood pressure medication?",
        "could I stop my antidepressants if I get regular massages",
        "will massage cure my fibromyalgia",
        "can massage help me avoid knee surgery instead",
        "can massage help me come off diazepam",
        "could weekly massage replace my co-codamol",
    ],
)
def test_medication_and_cure_questions_are_recognised(text):
    assert shared_rules().check(text).medication_or_cure


def test_a_plain_faq_question_is_not_a_medication_question():
    assert not shared_rules().check("does massage help lower blood pressure?").medication_or_cure
