"""Signals other apps may listen to; cameras itself imports none of them."""

from django.dispatch import Signal

# Sent by the webhook after every answer: event_type, status, seconds (time to answer).
push_answered = Signal()

# Sent by the health check for a camera it judges offline: camera, reason, at. A receiver
# returns True when it raised something new (the check's report counts those).
camera_offline = Signal()

# Sent by the health check for a camera reachable and pushing again: camera, at. A receiver
# returns how many alerts it resolved.
camera_back_online = Signal()
