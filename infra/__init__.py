"""What Chalice does not create (tables, user pool, bucket, queues, alarms) and the per-function
IAM, merged into the output of ``chalice package``. See ``infra/README.md``."""
