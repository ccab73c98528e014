"""The "three small" registers: registrations and filings, and village coordinators."""
