"""seats bound to users and the dial allow-list (issue 11: no toll fraud through the API)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kernel.database

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = kernel.database.AwareDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('seat_bindings',
    sa.Column('extension', sa.String(length=16), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('bound_by', sa.String(length=64), nullable=False),
    sa.Column('bound_at', AWARE, nullable=False),
    sa.PrimaryKeyConstraint('extension', name=op.f('pk_seat_bindings')),
    sa.UniqueConstraint('username', name=op.f('uq_seat_bindings_username'))
    )
    op.create_table('dial_targets',
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', AWARE, nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_dial_targets'))
    )


def downgrade() -> None:
    op.drop_table('dial_targets')
    op.drop_table('seat_bindings')
