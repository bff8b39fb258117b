"""Signals other apps may listen to; cameras itself imports none of them."""
from django.dispatch import Signal

# Sent by the webhook after every answer: event_type, status, seconds (time to answer).
push_answered = Signal()
