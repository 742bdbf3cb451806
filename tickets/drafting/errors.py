"""Errors of the drafting package."""

from tickets.errors import DomainError, InvalidValue


class MalformedTranscript(InvalidValue):
    """The transcript is neither a list of turns nor plain text."""

    error_id = "malformed-transcript"


class MalformedPlacesFile(InvalidValue):
    """A places file line is not ``name`` or ``name,kind``."""

    error_id = "malformed-places-file"


class MalformedLabels(DomainError):
    """A labelled calls file has a line that is not a labelled call."""

    status = 422
    error_id = "malformed-labels"


class TranscriptNotFound(DomainError):
    status = 404
    error_id = "transcript-not-found"


class TranscriptsUnavailable(DomainError):
    status = 503
    error_id = "transcripts-unavailable"


class MalformedCallerId(InvalidValue):
    """A caller ID is not the digits of a phone number."""

    error_id = "malformed-caller-id"
