"""Where the Rasa server keeps conversations and per-conversation locks, chosen by environment variables."""
