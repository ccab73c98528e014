"""What every feature shares: audit log, local clock, jurisdiction scope, labels, spreadsheets, accounts."""
