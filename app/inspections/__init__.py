"""Inspections: drafts, answers, scoring, submission, amendments, signatures and the hazard ledger."""
