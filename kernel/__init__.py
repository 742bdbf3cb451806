"""The shared kernel: the few base pieces every package builds on (DESIGN §6).

Errors with an HTTP status, aware Beijing time, the declarative base, the state-machine
transition, strict request bodies and the ticket number's check digit. Nothing here knows a
call, a ticket or a speaker; every package may import it, it imports no package of ours.
"""
