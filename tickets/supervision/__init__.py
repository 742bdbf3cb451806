"""督办: due-soon and overdue detection, the reminder ladder, supervision records and flags."""
