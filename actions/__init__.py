"""Custom actions of the clinic assistant, served by `rasa run actions` (rasa-sdk)."""
