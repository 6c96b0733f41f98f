-- Receipt books named on an enrollment code (issue 19): a new counter's terminal id is not known until
-- it enrolls, so head office keeps the books to allocate with the code and allocates them to the
-- terminal that uses it, in the enrollment's transaction (JSON array of {clerkCode, series, firstNo, lastNo}).
ALTER TABLE ho_enrollment_codes ADD COLUMN books text;
