"""The outbox both outbound features share: alert deliveries and exports.

A row (``models.OutboxRow``) is written in the transaction of the change it announces and
is the truth about its sending: status, attempts, next attempt, claim, last error. Its
task is queued on commit (``queueing.enqueue``); when the broker is down the row waits
and ``queueing.sweep`` queues it later. A worker claims the row with compare-and-set
(``OutboxQuerySet.claim``), makes one attempt (``sending.attempt``) and settles it
(``sending.settle``): sent, retried after the policy's backoff (``retry.RetryPolicy``,
Celery's retry_backoff formula; on a worker the retry is Celery's ``Task.retry`` of the
running message), or failed when the receiver refused it or the retries ran out.

Celery's autoretry_for/retry_backoff options are not used as such: they are fixed per task,
while the policy is per exporter, and Celery's retry count restarts when the sweep queues a
row anew, so its countdown would disagree with the row's due time.

This package imports no domain app: the features subclass the model and pass their task.
"""
