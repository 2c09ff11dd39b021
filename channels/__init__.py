"""Custom Rasa input channels, registered in credentials.yml. Importing them keeps visitors' words out of
the server's logs (channels/log_privacy.py)."""
from channels.log_privacy import install as _keep_visitor_words_out_of_logs

_keep_visitor_words_out_of_logs()
