"""Inspection plans and random draws (双随机): eligibility, the recorded draw, drawn visits."""
