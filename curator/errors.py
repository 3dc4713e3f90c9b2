"""Exit codes and the exceptions that map onto them.

Expected failures are raised as a `CuratorError` subclass carrying one line of the form
"what happened — what to do"; the CLI prints ``Error: <line>`` and exits with the class's code.
Only unexpected exceptions produce a traceback (and only with ``--traceback``).
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1  # runtime failure: network, server, database
    USAGE = 2  # bad command line or configuration
    PARTIAL = 3  # some work done, some failed (e.g. a poll stored mail, then lost the server)
    CONFLICT = 4  # refused: another editor changed the response since it was shown (retry)
    INTERRUPTED = 130  # Ctrl-C / SIGINT


class CuratorError(Exception):
    """An expected failure with a one-line, actionable message."""

    exit_code: ExitCode = ExitCode.ERROR


class ConfigError(CuratorError):
    """The configuration file, an environment override or a secret source is wrong."""

    exit_code = ExitCode.USAGE


class UsageError(CuratorError):
    """The command line asks for something impossible (unknown ID, bad filter)."""

    exit_code = ExitCode.USAGE


class DatabaseError(CuratorError):
    """The database cannot be reached or is not at the schema this version needs."""


class MailError(CuratorError):
    """Talking to a mail server failed."""


class AuthError(MailError):
    """The server refused our credentials; retrying would only risk a lockout."""


class TLSError(MailError):
    """The server's certificate could not be verified."""


class TransientMailError(MailError):
    """A network problem that a reconnect may cure (timeout, reset, dropped session)."""
