"""Ticket drafting (智能填单): a live call's transcript becomes a draft of the ticket's fields."""
