"""Deterministic demo users, inserted only into an empty table (fresh databases get ids 1..12).

The first (Ada Lovelace, `ada.lovelace`) is an admin; her password is
`USER_SERVICE_SEED_ADMIN_PASSWORD`, or she has none (and cannot log in) when it is unset. The
others are users without passwords.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from common.settings import load_settings
from subgraphs.users import repository
from subgraphs.users.models import ROLE_ADMIN, ROLE_USER, UserRow
from subgraphs.users.passwords import DEFAULT_PASSWORDS, Passwords
from subgraphs.users.settings import UserServiceSettings
from subgraphs.users.validation import clean_password, username_from_email

logger = logging.getLogger(__name__)

ADMIN_PASSWORD_VARIABLE = "USER_SERVICE_SEED_ADMIN_PASSWORD"

#: Fixed times keep the demo data identical on every machine.
SEED_EPOCH = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

#: (name, age, active), in id order.
DEMO_USERS: tuple[tuple[str, int, bool], ...] = (
    ("Ada Lovelace", 36, True),
    ("Alan Turing", 41, True),
    ("Grace Hopper", 85, True),
    ("Edsger Dijkstra", 72, True),
    ("Barbara Liskov", 84, True),
    ("Donald Knuth", 86, True),
    ("Margaret Hamilton", 87, True),
    ("Dennis Ritchie", 70, True),
    ("Frances Allen", 88, True),
    ("John McCarthy", 84, False),
    ("Radia Perlman", 72, True),
    ("Ken Thompson", 81, True),
)


def demo_email(name: str) -> str:
    """`Ada Lovelace` -> `ada.lovelace@example.com`."""
    return ".".join(name.lower().split()) + "@example.com"


async def seed_users(session: AsyncSession) -> int:
    """Insert the demo users when the table is empty; the admin's password from the settings."""
    secret = load_settings(UserServiceSettings).seed_admin_password
    return await seed_demo_users(
        session, admin_password=secret.get_secret_value() if secret is not None else None
    )


async def seed_demo_users(
    session: AsyncSession,
    *,
    admin_password: str | None = None,
    passwords: Passwords = DEFAULT_PASSWORDS,
) -> int:
    """Insert the demo users when the table is empty; returns how many were inserted."""
    if await repository.count_all(session):
        return 0
    admin_email = demo_email(DEMO_USERS[0][0])
    admin_username = username_from_email(admin_email)
    admin_hash = None
    if admin_password is not None:
        checked = clean_password(admin_password, email=admin_email, username=admin_username)
        if isinstance(checked, str):
            admin_hash = await passwords.hash(checked)
        else:
            logger.error(
                "%s %s; the admin is seeded without a password",
                ADMIN_PASSWORD_VARIABLE,
                checked.message,
            )
    for index, (name, age, active) in enumerate(DEMO_USERS):
        created = SEED_EPOCH + timedelta(days=index)
        email = demo_email(name)
        repository.add(
            session,
            UserRow(
                email=email,
                username=username_from_email(email),
                name=name,
                age=age,
                active=active,
                role=ROLE_ADMIN if index == 0 else ROLE_USER,
                password_hash=admin_hash if index == 0 else None,
                created_at=created,
                updated_at=created,
            ),
        )
        # One flush per row so ids follow the list order on every backend.
        await session.flush()
    if admin_hash is not None:
        logger.info(
            "seeded admin %s (login %s or %s) with the password from %s",
            name_of_admin(),
            admin_username,
            admin_email,
            ADMIN_PASSWORD_VARIABLE,
        )
    else:
        logger.warning(
            "seeded admin %s (login %s) has no password and cannot log in; set %s before "
            "seeding an empty database to give her one",
            name_of_admin(),
            admin_username,
            ADMIN_PASSWORD_VARIABLE,
        )
    return len(DEMO_USERS)


def name_of_admin() -> str:
    """The seeded admin's name."""
    return DEMO_USERS[0][0]
