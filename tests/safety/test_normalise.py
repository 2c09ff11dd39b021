"""Evasions reach the rules as plain words: every form the issue lists, and typos of the rules' words."""
import pytest

from addons.safety.check import shared_rules
from addons.safety.normalise import normalise


@pytest.mark.parametrize(
    "typed, plain",
    [
        ("ｉ ｗａｎｔ ｔｏ ｄｉｅ", "i want to die"),  # fullwidth letters and space
        ("I want to kіll myself", "i want to kill myself"),  # Cyrillic і
        ("I want to k\u200bi\u200bll myself", "i want to kill myself"),  # zero-width spaces
        ("s.u.i.c.i.d.e", "suicide"),
        ("k i l l myself", "kill myself"),
        ("k.i.l.l m.y.s.e.l.f", "kill myself"),
        ("k1ll mys3lf", "kill myself"),
        ("su!c!de", "suicide"),
        ("kms", "kill myself"),
        ("cant breathe rn", "can't breathe right now"),
        ("Café crème", "cafe creme"),
        ("I took 30mg at 5pm", "i took 30mg at 5pm"),  # numbers with units are not leetspeak
    ],
)
def test_evasions_are_undone(typed, plain):
    assert normalise(typed) == plain


@pytest.mark.parametrize("typed, fixed", [("bleding", "bleeding"), ("pregant", "pregnant"), ("swellin", "swelling")])
def test_typos_of_rule_words_are_fixed_but_common_words_are_left(typed, fixed):
    spelling = shared_rules().spelling
    assert spelling.fix(typed) == fixed
    assert spelling.fix("hills since during") == "hills since during"


@pytest.mark.parametrize(
    "message",
    [
        "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",
        "I want to kіll myself",
        "s.u.i.c.i.d.e",
        "k i l l myself",
        "kms tonight",
        "i want to k\u200bi\u200bll myself",
        "/greet I want to kill myself",
        "/faq_sleep{\"condition\": \"I want to kill myself\"}",
        "hello " + "I like massages and I have a question about my shoulders. " * 40 + "I want to kill myself",
    ],
)
def test_every_evasion_form_is_still_a_self_harm_red_flag(message):
    flag = shared_rules().check(message).current
    assert flag is not None and flag.kind == "self_harm"
