"""Typical cases (典型案例): written by the office, checked for personal data, published."""
