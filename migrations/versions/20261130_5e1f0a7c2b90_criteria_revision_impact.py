"""criteria revision impact: analyses, published notices, follow-up applications

An impact analysis of a criteria set version is stored with its progress and result; publishing
it records one notice per affected certificate (shown on the public status without changing
it); a follow-up application remembers the certificate it revises and the rows to re-test.

Revision ID: 5e1f0a7c2b90
Revises: 5b1e0c7d2a41
Create Date: 2026-11-30 08:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import labcert.models.types


# revision identifiers, used by Alembic.
revision = '5e1f0a7c2b90'
down_revision = '5b1e0c7d2a41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impact_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criteria_set', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', labcert.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', labcert.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', labcert.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('published_at', labcert.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_impact_run_state')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_impact_run_published_by_id_user_account')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_impact_run_requested_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_run'))
    )
    with op.batch_alter_table('impact_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_run_criteria_set'), ['criteria_set'], unique=False)

    op.create_table('impact_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('criteria_set', sa.String(length=80), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('impact', sa.String(length=20), nullable=False),
    sa.Column('created_at', labcert.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_impact_notice_certificate_id_certificate')),
    sa.ForeignKeyConstraint(['run_id'], ['impact_run.id'], name=op.f('fk_impact_notice_run_id_impact_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_notice')),
    sa.UniqueConstraint('certificate_id', 'criteria_set', name=op.f('uq_impact_notice_certificate_id_criteria_set'))
    )
    with op.batch_alter_table('impact_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_notice_certificate_id'), ['certificate_id'], unique=False)

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('follow_up')

    with op.batch_alter_table('impact_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_notice_certificate_id'))

    op.drop_table('impact_notice')
    with op.batch_alter_table('impact_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_run_criteria_set'))

    op.drop_table('impact_run')
