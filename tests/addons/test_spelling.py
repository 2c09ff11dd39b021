"""DomainSpelling: one-letter typos of the training data's own words are fixed before the classifiers read them."""
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.spelling import DomainSpelling


def trained(tmp_path, phrasings):
    storage, resource = LocalModelStorage(tmp_path), Resource("spelling")
    component = DomainSpelling.create({}, storage, resource, None)
    component.train(TrainingData([Message(data={"text": text, "intent": "x"}) for text in phrasings]))
    return DomainSpelling.load({}, storage, resource, None)


def corrected(component, text):
    message = Message(data={"text": text})
    component.process([message])
    return message.get("text"), message.get("full_text")


def test_a_typo_of_a_training_word_is_fixed_and_the_visitors_words_kept_for_safety(tmp_path):
    component = trained(tmp_path, ["does massage help lymph flow", "massage for tension headaches"])
    assert corrected(component, "Does massage help limph flow?") == ("Does massage help lymph flow?",
                                                                      "Does massage help limph flow?")
    assert corrected(component, "tenshion headachs")[0] == "tension headaches"


def test_real_words_the_assistant_never_learned_stay(tmp_path):
    component = trained(tmp_path, ["does massage help lymph flow"])
    assert corrected(component, "what should I feed my hamster") == ("what should I feed my hamster", None)


def test_button_payloads_are_left_alone(tmp_path):
    component = trained(tmp_path, ["does massage help lymph flow"])
    assert corrected(component, "/faq_lymph_flow")[0] == "/faq_lymph_flow"


def test_between_two_candidates_the_word_the_training_data_uses_more_wins(tmp_path):
    # "manage" is the commoner English word, one letter from "masage" as "massage" is
    component = trained(tmp_path, ["does massage help", "massage for sleep", "massage and pain", "how to manage pain"])
    assert corrected(component, "masage instead of pain killers")[0] == "massage instead of pain killers"
