"""Errors that carry a sentence a person can act on.

Every problem with the analyst's input is raised as :class:`InputError`; the UI shows its
message as is and the CLI prints it on one line and exits non-zero. Programming errors stay
ordinary exceptions.
"""

from __future__ import annotations


class InputError(ValueError):
    """The input cannot be used; ``str(error)`` says why and what to do."""


class NotFoundError(LookupError):
    """A dataset or run id that is not in the workspace (or is not a valid id)."""
