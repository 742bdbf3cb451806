"""linkage owns its tables: a hand-off names its ticket by id and number, no foreign key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('linkage_handoffs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_linkage_handoffs_ticket_id_tickets'),
                                 type_='foreignkey')
        batch_op.add_column(sa.Column('ticket_number', sa.String(length=32), nullable=True))
    op.execute("UPDATE linkage_handoffs SET ticket_number = (SELECT number FROM tickets "
               "WHERE tickets.id = linkage_handoffs.ticket_id)")


def downgrade() -> None:
    with op.batch_alter_table('linkage_handoffs', schema=None) as batch_op:
        batch_op.drop_column('ticket_number')
        batch_op.create_foreign_key(op.f('fk_linkage_handoffs_ticket_id_tickets'), 'tickets',
                                    ['ticket_id'], ['id'], ondelete='SET NULL')
