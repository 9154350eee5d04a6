"""instrument tests and uncertainty budgets; where a result's U came from

Instruments name the test codes they are declared suitable for and may carry an uncertainty
budget per test code (k = 2); a result entered without U records the instrument whose budget
gave it. Existing instruments start with no declared tests (an administrator declares them on
the instrument page); existing results are kept as they are: the ones without sample or
instrument are flagged on the pages, never deleted.

Revision ID: 5e7a0c1d2b3f
Revises: 0084c457b1e4
Create Date: 2026-11-30 08:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a0c1d2b3f'
down_revision = '0084c457b1e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tests', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('budgets', sa.JSON(), nullable=True))
    op.execute("UPDATE instrument SET tests = '[]', budgets = '{}'")
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.alter_column('tests', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('budgets', existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uncertainty_from', sa.String(length=50), nullable=True))


def downgrade():
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.drop_column('uncertainty_from')
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.drop_column('budgets')
        batch_op.drop_column('tests')
