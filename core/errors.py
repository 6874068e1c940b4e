"""Domain-neutral errors that services raise and the API and pages translate.

- ``django.core.exceptions.ValidationError`` (with a dict of field errors) → 400
- ``Conflict`` → 409: a conflict of interest or an invalid state transition
- ``PreconditionFailed`` → 412: the caller's ``If-Match`` version is stale
"""


class Conflict(Exception):
    def __init__(self, message, *, code="conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class PreconditionFailed(Exception):
    def __init__(self, message="This record has changed since you last read it.", *, current=None):
        super().__init__(message)
        self.message = message
        self.current_version = current
