"""user language

Each account may choose the language of its pages (en, ur, ar, ru); without a choice the
pages follow the browser's Accept-Language.

Revision ID: 5a1e7c0d2b3f
Revises: 5e1f0a7c2b90
Create Date: 2026-11-30 08:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1e7c0d2b3f'
down_revision = '5e1f0a7c2b90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
        batch_op.create_check_constraint(
            'language', "language IS NULL OR language IN ('en', 'ur', 'ar', 'ru')")


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_language'), type_='check')
        batch_op.drop_column('language')
