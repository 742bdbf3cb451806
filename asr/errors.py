"""The ASR package's refusals, on the kernel's base (status, ``error_id``, ``details``)."""

from kernel.errors import DomainError


class AsrError(DomainError):
    """Something the ASR package refuses or cannot do."""

    status = 400
    error_id = "asr-error"


class ModelSourceMissing(AsrError):
    status = 404
    error_id = "asr-model-source-missing"


class ModelDownloadFailed(AsrError):
    status = 502
    error_id = "asr-model-download-failed"


class UnsafeArchive(AsrError):
    status = 422
    error_id = "asr-model-unsafe-archive"


class UnknownArchive(AsrError):
    status = 422
    error_id = "asr-model-archive-unknown"


class ModelInvalid(AsrError):
    status = 422
    error_id = "asr-model-invalid"


class ChecksumMismatch(AsrError):
    status = 422
    error_id = "asr-model-checksum-mismatch"


class BadModelName(AsrError):
    status = 422
    error_id = "asr-model-bad-name"


class ModelExists(AsrError):
    status = 409
    error_id = "asr-model-exists"
