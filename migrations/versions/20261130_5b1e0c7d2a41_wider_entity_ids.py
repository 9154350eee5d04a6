"""wider entity ids in the audit trail and the outbox

A signing key is identified by its SHA-256 fingerprint (64 hex digits); the audit trail and the
outbox kept entity ids in 60 characters, so PostgreSQL refused `labcert pki rotate` and
`labcert pki compromised` (SQLite does not enforce the length). Both now take 100.

Revision ID: 5b1e0c7d2a41
Revises: 096600056e9c
Create Date: 2026-11-30 08:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d2a41'
down_revision = '096600056e9c'
branch_labels = None
depends_on = None


def upgrade():
    for table in ("audit_event", "outbox_event"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("entity_id", existing_type=sa.String(60), type_=sa.String(100),
                               existing_nullable=False)


def downgrade():
    for table in ("audit_event", "outbox_event"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("entity_id", existing_type=sa.String(100), type_=sa.String(60),
                               existing_nullable=False)
