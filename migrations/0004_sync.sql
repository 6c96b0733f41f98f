-- Reserved for the sync worker issue (outbox cursor, master-data pull state); filled in by that work.
SELECT 1;
