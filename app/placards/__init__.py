"""QR placards: the QR images, the A6 card and the batch sheets."""
