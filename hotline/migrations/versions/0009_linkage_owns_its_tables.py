"""linkage owns its tables: a hand-off names its ticket by id, no foreign key into tickets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('linkage_handoffs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_linkage_handoffs_ticket_id_tickets'),
                                 type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('linkage_handoffs', schema=None) as batch_op:
        batch_op.create_foreign_key(op.f('fk_linkage_handoffs_ticket_id_tickets'), 'tickets',
                                    ['ticket_id'], ['id'], ondelete='SET NULL')
