"""What the public sees and sends: an establishment's status, complaints, the page cache."""
