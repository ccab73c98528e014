"""The web layer: app-wide plumbing, guards, locale, and one blueprint per audience."""
