"""Custom Rasa NLU graph components, loaded by the Rasa server (see config.yml)."""
