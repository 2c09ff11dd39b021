"""Shared measurement code: the held-out set and how predictions are scored (tests and `make bench`)."""
