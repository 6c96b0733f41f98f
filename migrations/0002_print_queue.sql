-- Reserved for the receipt printing issue (print queue); filled in by that work.
SELECT 1;
