"""revisit attempts: the survey token a call must carry for its answer to be recorded (issue 11)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An attempt claimed before the upgrade has no token: its survey refuses to record, and
    # the dialer concludes it as failed after the call, so the next attempt is placed.
    with op.batch_alter_table('revisit_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_token', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('revisit_attempts', schema=None) as batch_op:
        batch_op.drop_column('survey_token')
