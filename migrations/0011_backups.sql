-- reserved placeholder (session 2); replaced by its owner or removed before landing
SELECT 1;
