"""call records: the callback a leg belongs to and how the IVR ended (issue 13's figures)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Calls stored before the upgrade have neither: callback legs among them still count as
    # offered inbound calls in the figures of their days (the platform could not tell them).
    with op.batch_alter_table('call_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('callback_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ivr_result', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('call_records', schema=None) as batch_op:
        batch_op.drop_column('ivr_result')
        batch_op.drop_column('callback_id')
