-- PCM time in the ledger and PCM claim lines (99424-99427, billing-rules.md 2.3).
ALTER TABLE time_entry DROP CONSTRAINT time_entry_program_check;
ALTER TABLE time_entry ADD CONSTRAINT time_entry_program_check CHECK (program IN ('rpm', 'ccm', 'pcm'));
ALTER TABLE claim_line DROP CONSTRAINT claim_line_program_check;
ALTER TABLE claim_line ADD CONSTRAINT claim_line_program_check CHECK (program IN ('rpm', 'ccm', 'pcm'));
