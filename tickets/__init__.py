"""The ticket domain: workflow, policies, working days, deadlines, KB, statistics."""
