"""The outbox both outbound features share: alert deliveries and exports.

A row (``models.OutboxRow``) is written in the transaction of the change it announces and
is the truth about its sending: status, attempts, next attempt, claim, last error. Its
task is queued on commit (``queueing.enqueue``); when the broker is down the row waits
and ``queueing.sweep`` queues it later. A worker claims the row with compare-and-set
(``OutboxQuerySet.claim``), makes one attempt (``sending.attempt``) and settles it
(``sending.settle``): sent, retried after the policy's backoff (``retry.RetryPolicy``),
or failed when the receiver refused it or the retries ran out.

This package imports no domain app: the features subclass the model and pass their task.
"""
