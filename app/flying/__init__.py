"""飞行检查: unannounced inspections of one unit started from a problem clue (总局令第49号 Arts 22, 46, 53)."""
