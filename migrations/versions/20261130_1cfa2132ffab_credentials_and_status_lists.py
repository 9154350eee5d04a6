"""credentials and status lists

Each certificate keeps its UNTP Digital Conformity Credential (vc+jwt) and its index in the
lab's Bitstring Status Lists; status_list holds the lists, signed again on every status change.
Certificates issued before this revision have no credential until `labcert credentials backfill`.

Revision ID: 1cfa2132ffab
Revises: 08623e633dc1
Create Date: 2026-11-30 05:35:08.460629

"""
from alembic import op
import sqlalchemy as sa

import labcert.models.types


# revision identifiers, used by Alembic.
revision = '1cfa2132ffab'
down_revision = '08623e633dc1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('status_list',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('allocated', sa.Integer(), nullable=False),
    sa.Column('suspension_credential', sa.Text(), nullable=True),
    sa.Column('revocation_credential', sa.Text(), nullable=True),
    sa.Column('updated_at', labcert.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_status_list'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('status_list', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_status_list_status_index'), ['status_list', 'status_index'])
        batch_op.create_foreign_key(batch_op.f('fk_certificate_status_list_status_list'), 'status_list', ['status_list'], ['number'])



def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificate_status_list_status_list'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_certificate_status_list_status_index'), type_='unique')
        batch_op.drop_column('status_index')
        batch_op.drop_column('status_list')
        batch_op.drop_column('credential')

    op.drop_table('status_list')
