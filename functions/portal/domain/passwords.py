"""Passwords: the policy (12–128 characters, no composition rules, common ones refused) and hashing
with argon2id at OWASP's parameters (m=19 MiB, t=2, p=1)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from portal.errors import invalid

MIN_LENGTH, MAX_LENGTH = 12, 128
# zxcvbn's score runs 0–4; below 3 the password is in (or built from) its lists of common
# passwords, names and words, or is a repeat or sequence, and would fall to an offline guess.
MIN_SCORE = 3


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
    )


def check_policy(password: str, *, field: str = "password", context: tuple[str, ...] = ()) -> None:
    """Refuse a password a person should not use; `context` holds their e-mail and name."""
    if len(password) < MIN_LENGTH:
        raise invalid(**{field: "field.password_too_short"})
    if len(password) > MAX_LENGTH:
        raise invalid(**{field: "field.password_too_long"})
    from zxcvbn import zxcvbn  # only the routes that set a password pay for its word lists

    if zxcvbn(password, user_inputs=[c for c in context if c])["score"] < MIN_SCORE:
        raise invalid(**{field: "field.password_common"})


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not there is a hash, so unknown e-mails take as long as wrong passwords."""
    try:
        return _hasher().verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


# A hash of a random password with the same parameters, verified when the user is unknown.
_DUMMY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$B6sui3taD5DLbWe9fkgQ0g$6dpOGiZEyPrmmnptNzzbpepQFgAslAfCJ0D+pmNWep8"
)
