"""linkage: the emergency event list, hand-offs and their timeline (issue 6)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kernel.database

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = kernel.database.AwareDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('linkage_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=False),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('endpoint_url', sa.String(length=500), nullable=True),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('pass_identity', sa.Boolean(), nullable=False),
    sa.Column('confirm_first', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', AWARE, nullable=False),
    sa.Column('updated_at', AWARE, nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkage_targets')),
    sa.UniqueConstraint('kind', name=op.f('uq_linkage_targets_kind'))
    )
    op.create_table('linkage_handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('number_index', sa.Integer(), nullable=False),
    sa.Column('dial_attempts', sa.Integer(), nullable=False),
    sa.Column('room', sa.String(length=64), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('alerted_at', AWARE, nullable=False),
    sa.Column('confirmed_at', AWARE, nullable=True),
    sa.Column('confirmed_by', sa.String(length=64), nullable=True),
    sa.Column('joined_at', AWARE, nullable=True),
    sa.Column('ended_at', AWARE, nullable=True),
    sa.Column('updated_at', AWARE, nullable=False),
    sa.Column('data_state', sa.String(length=12), nullable=False),
    sa.Column('data_attempts', sa.Integer(), nullable=False),
    sa.Column('packet_hash', sa.String(length=64), nullable=True),
    sa.Column('receipt_status', sa.Integer(), nullable=True),
    sa.Column('receipt_hash', sa.String(length=64), nullable=True),
    sa.Column('receipt_verified', sa.Boolean(), nullable=True),
    sa.Column('data_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['target_id'], ['linkage_targets.id'], name=op.f('fk_linkage_handoffs_target_id_linkage_targets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_linkage_handoffs_ticket_id_tickets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkage_handoffs')),
    sa.UniqueConstraint('key', name=op.f('uq_linkage_handoffs_key')),
    sa.UniqueConstraint('linkedid', 'kind', name='uq_linkage_handoffs_linkedid_kind')
    )
    with op.batch_alter_table('linkage_handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_linkage_handoffs_target_alerted', ['target', 'alerted_at'], unique=False)
        batch_op.create_index('ix_linkage_handoffs_ticket', ['ticket_id'], unique=False)

    op.create_table('linkage_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('at', AWARE, nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=24), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('supervisor', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['linkage_handoffs.id'], name=op.f('fk_linkage_events_handoff_id_linkage_handoffs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkage_events'))
    )
    with op.batch_alter_table('linkage_events', schema=None) as batch_op:
        batch_op.create_index('ix_linkage_events_handoff', ['handoff_id', 'id'], unique=False)
        batch_op.create_index('ix_linkage_events_supervisor_at', ['supervisor', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('linkage_events', schema=None) as batch_op:
        batch_op.drop_index('ix_linkage_events_supervisor_at')
        batch_op.drop_index('ix_linkage_events_handoff')
    op.drop_table('linkage_events')
    with op.batch_alter_table('linkage_handoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_linkage_handoffs_ticket')
        batch_op.drop_index('ix_linkage_handoffs_target_alerted')
    op.drop_table('linkage_handoffs')
    op.drop_table('linkage_targets')
