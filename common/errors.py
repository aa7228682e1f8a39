"""Errors a user can cause, each with a code and a message that says what to do.

AppError                      base; carries code, message, field and HTTP status
├── ValidationFailed          VALIDATION_FAILED  (422) the input breaks a rule; `field` names it
├── NotFound                  NOT_FOUND          (404) the thing asked for does not exist
├── Conflict                  CONFLICT           (409) the request clashes with current state
├── IdempotencyKeyReused      IDEMPOTENCY_KEY_REUSED (422) the key named another request before
├── TooManyAttempts           TOO_MANY_ATTEMPTS  (429) too many tries (logins); retry later
├── ChallengeRequired         CHALLENGE_REQUIRED (429) solve `challenge` and send it with the retry
└── InternalError             INTERNAL           (500) our fault; no details leak
ConfigurationError            a setting is missing or invalid; stops start-up (not user-facing)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldProblem:
    """One input field at fault and what is wrong with it."""

    field: str
    message: str


class AppError(Exception):
    """Base of every error a caller can see; subclasses fix the code and HTTP status."""

    code: ClassVar[str] = "INTERNAL"
    status: ClassVar[int] = 500

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        problems: tuple[FieldProblem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field if field is not None else (problems[0].field if problems else None)
        self.problems = problems

    def extensions(self) -> dict[str, Any]:
        """The `extensions` object of a GraphQL error (or the REST `error` body) for this error."""
        ext: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            ext["field"] = self.field
        if self.problems:
            ext["problems"] = [{"field": p.field, "message": p.message} for p in self.problems]
        return ext


class Unauthenticated(AppError):
    """The operation needs a signed-in caller and there is none."""

    code = "UNAUTHENTICATED"
    status = 401


class Forbidden(AppError):
    """The caller is known but their roles do not allow the operation."""

    code = "FORBIDDEN"
    status = 403


class ValidationFailed(AppError):
    """The input breaks a rule; `field` names the input field at fault."""

    code = "VALIDATION_FAILED"
    status = 422

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> ValidationFailed:
        """One error for all the problems found, its message listing each field."""
        message = "; ".join(f"{p.field}: {p.message}" for p in problems)
        return cls(f"Invalid input: {message}", problems=tuple(problems))


class NotFound(AppError):
    """The entity asked for does not exist (or was deleted)."""

    code = "NOT_FOUND"
    status = 404


class Conflict(AppError):
    """The request clashes with the current state (a duplicate, a forbidden transition)."""

    code = "CONFLICT"
    status = 409


class IdempotencyKeyReused(AppError):
    """The caller's idempotency key was used with another request; a new request needs a new key.

    422, as the gateway's REST store answers the same reuse and as the IETF Idempotency-Key
    draft has it (409 there means "the first request is still running")."""

    code = "IDEMPOTENCY_KEY_REUSED"
    status = 422


class TooManyAttempts(AppError):
    """Too many attempts in a window (failed logins); `retry_after` says when to try again."""

    code = "TOO_MANY_ATTEMPTS"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)

    def extensions(self) -> dict[str, Any]:
        ext = super().extensions()
        ext["retryAfter"] = self.retry_after
        return ext


class ChallengeRequired(AppError):
    """Many failed logins came from the caller's address: the attempt must carry a solved
    challenge; `challenge` (what to solve) goes to the client in the error's extensions."""

    code = "CHALLENGE_REQUIRED"
    status = 429

    def __init__(self, message: str, *, challenge: dict[str, Any]) -> None:
        super().__init__(message)
        self.challenge = challenge

    def extensions(self) -> dict[str, Any]:
        ext = super().extensions()
        ext["challenge"] = self.challenge
        return ext


class InternalError(AppError):
    """Something failed on our side; the message is generic and carries the request id."""

    code = "INTERNAL"
    status = 500


@dataclass
class ConfigurationError(Exception):
    """A setting is missing or invalid; the message names the environment variable."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "invalid configuration:\n" + "\n".join(f"  - {p}" for p in self.problems)

    def one_line(self) -> str:
        """Every problem on one line, for stderr at start-up."""
        return "invalid configuration: " + "; ".join(" ".join(p.split()) for p in self.problems)
