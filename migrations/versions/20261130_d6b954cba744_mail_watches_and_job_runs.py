"""mail, watches, notification preferences, job runs; verification log source ids

Notification mail gets one row per event and recipient (the unique key makes jobs idempotent),
exporters' watches and per-kind preferences their tables, daily jobs one row per day, and
verification-log rows flushed from Redis the stream id they came from.

Revision ID: d6b954cba744
Revises: 1cfa2132ffab
Create Date: 2026-11-30 05:32:43.172505

"""
from alembic import op
import sqlalchemy as sa

import labcert.models.types


# revision identifiers, used by Alembic.
revision = 'd6b954cba744'
down_revision = '1cfa2132ffab'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('started_at', labcert.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', labcert.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run')),
    sa.UniqueConstraint('name', 'day', name=op.f('uq_job_run_name_day'))
    )
    op.create_table('mail_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', labcert.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', labcert.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', labcert.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mail_message_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_message')),
    sa.UniqueConstraint('key', name=op.f('uq_mail_message_key'))
    )
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_message_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_message_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_message_user_id'), ['user_id'], unique=False)

    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_preference_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preference')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preference_user_id_kind'))
    )
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preference_user_id'), ['user_id'], unique=False)

    op.create_table('watch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('created_at', labcert.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_watch_certificate_id_certificate')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_watch_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch')),
    sa.UniqueConstraint('user_id', 'certificate_id', name=op.f('uq_watch_user_id_certificate_id'))
    )
    with op.batch_alter_table('watch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watch_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('verification_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_verification_log_source_id'), ['source_id'])



def downgrade():
    with op.batch_alter_table('verification_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_verification_log_source_id'), type_='unique')
        batch_op.drop_column('source_id')

    with op.batch_alter_table('watch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_user_id'))
        batch_op.drop_index(batch_op.f('ix_watch_certificate_id'))

    op.drop_table('watch')
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preference_user_id'))

    op.drop_table('notification_preference')
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_message_user_id'))
        batch_op.drop_index(batch_op.f('ix_mail_message_status'))
        batch_op.drop_index(batch_op.f('ix_mail_message_kind'))

    op.drop_table('mail_message')
    op.drop_table('job_run')
