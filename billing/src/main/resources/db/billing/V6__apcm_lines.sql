-- APCM claim lines (G0556-G0558, billing-rules.md 2.3); APCM has no ledger time.
ALTER TABLE claim_line DROP CONSTRAINT claim_line_program_check;
ALTER TABLE claim_line ADD CONSTRAINT claim_line_program_check CHECK (program IN ('rpm', 'ccm', 'pcm', 'apcm'));
