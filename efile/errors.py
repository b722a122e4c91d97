"""Error types of the product. Each maps to a CLI exit code and an HTTP status, so the CLI and
the API report the same failure the same way."""

from __future__ import annotations


class EfileError(Exception):
    exit_code = 1
    http_status = 500


class ConfigError(EfileError):
    exit_code = 78  # EX_CONFIG
    http_status = 500


class NotFound(EfileError):
    exit_code = 4
    http_status = 404


class Ambiguous(EfileError):
    exit_code = 2
    http_status = 409


class AlreadyExists(EfileError):
    exit_code = 2
    http_status = 409


class AuthFailed(EfileError):
    """Not signed in, or the credentials are wrong or expired (one message for every cause)."""

    exit_code = 77  # EX_NOPERM
    http_status = 401


class Throttled(AuthFailed):
    http_status = 429


class Forbidden(EfileError):
    """Signed in, but the role lacks the permission (objects one may not read answer 404)."""

    exit_code = 77
    http_status = 403


class InvalidQuery(EfileError):
    exit_code = 2
    http_status = 400


class InputRejected(EfileError):
    """A file that cannot be processed as it is: wrong type, broken, encrypted, too large."""

    exit_code = 65  # EX_DATAERR
    http_status = 422


class UnsupportedType(InputRejected):
    http_status = 415


class EncryptedInput(InputRejected):
    pass


class TooLarge(InputRejected):
    http_status = 413


class ToolFailed(EfileError):
    """An external program (tesseract, ...) failed on an input it should have handled."""

    exit_code = 70  # EX_SOFTWARE


class IntegrityFailure(EfileError):
    exit_code = 3
    http_status = 500


class Quarantined(InputRejected):
    """A file the malware scanner flagged: kept in quarantine, never filed."""
