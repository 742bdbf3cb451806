"""revisits, their attempts, the do-not-call list; the scheduler's lease and job store

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kernel.database

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('revisit_do_not_call',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('at', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_revisit_do_not_call'))
    )
    op.create_table('revisits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.Column('handed_over_at', kernel.database.AwareDateTime(timezone=True), nullable=True),
    sa.Column('handover_reason', sa.String(length=32), nullable=True),
    sa.Column('notify_state', sa.String(length=12), nullable=True),
    sa.Column('notify_attempts', sa.Integer(), nullable=False),
    sa.Column('notify_next_at', kernel.database.AwareDateTime(timezone=True), nullable=True),
    sa.Column('notify_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_revisits_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisits')),
    sa.UniqueConstraint('ticket_id', 'round', name=op.f('uq_revisits_ticket_id'))
    )
    with op.batch_alter_table('revisits', schema=None) as batch_op:
        batch_op.create_index('ix_revisits_notify', ['notify_state', 'notify_next_at'], unique=False)
        batch_op.create_index('ix_revisits_state', ['state', 'id'], unique=False)

    op.create_table('revisit_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revisit_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('due_at', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.Column('claim_token', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', kernel.database.AwareDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', kernel.database.AwareDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', kernel.database.AwareDateTime(timezone=True), nullable=True),
    sa.Column('uniqueid', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=80), nullable=False),
    sa.Column('updated_at', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['revisit_id'], ['revisits.id'], name=op.f('fk_revisit_attempts_revisit_id_revisits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisit_attempts')),
    sa.UniqueConstraint('revisit_id', 'number', name=op.f('uq_revisit_attempts_revisit_id'))
    )
    with op.batch_alter_table('revisit_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_revisit_attempts_due', ['state', 'due_at', 'id'], unique=False)

    op.create_table('apscheduler_jobs',
    sa.Column('id', sa.Unicode(length=191), nullable=False),
    sa.Column('next_run_time', sa.Float(precision=25), nullable=True),
    sa.Column('job_state', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apscheduler_jobs'))
    )
    with op.batch_alter_table('apscheduler_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apscheduler_jobs_next_run_time'), ['next_run_time'], unique=False)

    op.create_table('scheduler_lease',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('heartbeat', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', kernel.database.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_lease'))
    )


def downgrade() -> None:
    op.drop_table('scheduler_lease')
    with op.batch_alter_table('apscheduler_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apscheduler_jobs_next_run_time'))

    op.drop_table('apscheduler_jobs')
    with op.batch_alter_table('revisit_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_revisit_attempts_due')

    op.drop_table('revisit_attempts')
    with op.batch_alter_table('revisits', schema=None) as batch_op:
        batch_op.drop_index('ix_revisits_state')
        batch_op.drop_index('ix_revisits_notify')

    op.drop_table('revisits')
    op.drop_table('revisit_do_not_call')
