"""Numbers a live call may bring in or hand over to: units' registered numbers, an allow-list."""
