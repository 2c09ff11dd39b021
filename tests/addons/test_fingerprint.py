"""AddonFingerprint: the add-on components are retrained when any add-on's code changes."""
from addons.faq_gate import FaqGate
from addons.fingerprint import addons_source_digest
from addons.follow_up import BareFollowUp
from addons.framing import RequestFraming
from addons.safety.component import SafetyLayer
from addons.shorthand import ShorthandExpander
from addons.topic_classifier import TopicClassifier


def test_every_addon_component_fingerprints_all_addon_sources():
    for component in (FaqGate, BareFollowUp, RequestFraming, SafetyLayer, ShorthandExpander, TopicClassifier):
        assert component.fingerprint_addon({}) == addons_source_digest()


def test_the_digest_changes_with_a_module_level_table(tmp_path, monkeypatch):
    import addons.fingerprint as fingerprint

    (tmp_path / "a.py").write_text("WORDS = {'rubdown': 'massage'}\n")
    monkeypatch.setattr(fingerprint, "ADDONS", tmp_path)
    fingerprint.addons_source_digest.cache_clear()
    before = fingerprint.addons_source_digest()
    (tmp_path / "a.py").write_text("WORDS = {'rubdown': 'massage', 'kip': 'sleep'}\n")
    fingerprint.addons_source_digest.cache_clear()
    assert fingerprint.addons_source_digest() != before
    fingerprint.addons_source_digest.cache_clear()
