"""What parking announces; alerts raises an alert for each (alerts/parking_alerts.py).

Sent inside the transaction that changed the counts, so an alert commits with them.
"""

from django.dispatch import Signal

# Zones whose count crossed the full threshold while armed: crossings, a list of
# (zone, count after, source camera event or None) in arrival order.
zones_full = Signal()

# Floors (None: the whole facility) where a gate counter disagrees with the zone count:
# drifts (parking.drift.Drift), at (datetime or None: now).
counters_drifted = Signal()

# A vision service's vehicle event stored but not counted (its floor counts from zones): event.
vision_event_uncounted = Signal()
