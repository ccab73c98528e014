"""Review before publication (审核) and publication of results (一公开, 总局令第49号 Art 39)."""
