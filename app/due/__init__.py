"""Who is due for a visit, and the registers' reminders."""
