-- Reserved for the card terminal issue (write-ahead card payment intents); filled in by that work.
SELECT 1;
