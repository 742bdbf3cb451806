"""Linkage: emergency hand-off to 110/119/120/122 and the utilities (issue 6)."""
