"""Errors that carry a sentence a person can act on, as a coded note.

Every problem with the analyst's input is raised as :class:`InputError`. Its message is a
:class:`Note`: the code is the English template (a message id of ``locales/<lang>/LC_MESSAGES/notes.po``)
and the parameters fill it in::

    raise InputError("The horizon ({h} weeks) is not shorter than the history ({n}).", h=8, n=6)

``str(error)`` is the English sentence (what the CLI prints on one line before it exits non-zero, and
what the logs and tests read); ``error.note`` is the note the UI words in the analyst's language with
``i18n.translate(error.note, lang)``, never by parsing the English. A parameter that is a word of the
library (a kind of dataset such as ``orders``) is passed as a ``Note`` so it is translated too; names
and numbers are passed as they are. ``InputError("A plain sentence.")`` is a note without parameters.
Programming errors stay ordinary exceptions.

:class:`Note` lives here, the lowest module, so an error can carry one; ``ecom_analytics.runs``
re-exports it (``from ecom_analytics.runs import Note`` is the usual spelling).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Note:
    """A message as data: the UI turns ``code`` and ``params`` into words in the analyst's
    language (the code is the English template, a catalogue message id); ``severity`` is
    ``info``, ``warning`` or ``error``."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = "info"

    def english(self) -> str:
        """The note in English (the CLI's language); a parameter that is a note is worded first."""
        params = {k: v.english() if isinstance(v, Note) else v for k, v in self.params.items()}
        return self.code.format(**params) if params else self.code

    def __str__(self) -> str:
        """The note in English, so a command printing a progress step prints words."""
        return self.english()


class _CodedError:
    """The coded message of an error: ``note`` (a :class:`Note` of severity ``error``), ``str()`` its English."""

    note: Note

    def _set_note(self, code: str | Note, params: dict[str, Any]) -> str:
        if isinstance(code, Note):
            if params:
                raise TypeError("an error made from a Note takes no other parameters")
            self.note = code
        else:
            self.note = Note(code, params, "error")
        return self.note.english()

    def __reduce__(self):
        """Pickled (a worker process, a cache) with its note, not only its English."""
        return (type(self)._from_note, (self.note,), getattr(self, "__dict__", None) or None)

    @classmethod
    def _from_note(cls, note: Note):
        error = cls.__new__(cls)
        Exception.__init__(error, _CodedError._set_note(error, note, {}))
        return error


class InputError(_CodedError, ValueError):
    """The input cannot be used; ``str(error)`` says why and what to do (in English), ``error.note``
    is the same sentence as a coded :class:`Note` for the UI."""

    def __init__(self, code: str | Note, /, **params: Any) -> None:
        super().__init__(self._set_note(code, params))


class NotFoundError(_CodedError, LookupError):
    """A dataset or run id that is not in the workspace (or is not a valid id); ``error.note`` as for
    :class:`InputError`."""

    def __init__(self, code: str | Note, /, **params: Any) -> None:
        super().__init__(self._set_note(code, params))
