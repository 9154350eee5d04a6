"""search indexes

The search box of the application, certificate and review lists matches numbers, brand, model,
manufacturer, TAC and IMEI. Each application gets `search_text` (number, brand, model, marketing
name, manufacturer, TACs), filled here for existing rows. On PostgreSQL the searched text columns
get trigram (GIN) indexes when the server offers pg_trgm (CREATE EXTENSION needs it installed;
it is trusted from PostgreSQL 13, so the database owner may create it); without it they get
pattern indexes that serve prefix matches only. IMEIs and TACs get pattern indexes for "starts
with". SQLite gets ordinary indexes of the same names. Filters get plain indexes: certificate
market and status, issue date, validity, and the review queue's submission time.

Revision ID: 838f4fd8efc8
Revises: 5a1e7c0d2b3f
Create Date: 2026-11-30 08:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '838f4fd8efc8'
down_revision = '5a1e7c0d2b3f'
branch_labels = None
depends_on = None

SEARCHED = [
    ("application", "search_text"),
    ("certificate", "number"),
    ("organization", "name"),
    ("product", "brand"),
    ("product", "model"),
    ("product", "marketing_name"),
]
PREFIXED = [("sample", "imei"), ("product_tac", "tac")]


def _trigrams_available(bind) -> bool:
    """Create pg_trgm if the server offers it and we may; tell whether it is there."""
    offered = bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
    if not offered:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return True


def _fill_search_text(bind, postgresql: bool) -> None:
    """Give existing applications their search text (as services.search_text builds it)."""
    tacs = ("(SELECT string_agg(tac, ' ' ORDER BY tac) FROM product_tac "
            "WHERE product_tac.product_id = application.product_id)") if postgresql else (
        "(SELECT group_concat(tac, ' ') FROM (SELECT tac FROM product_tac "
        "WHERE product_tac.product_id = application.product_id ORDER BY tac))")
    bind.execute(sa.text(
        "UPDATE application SET search_text = trim("
        "application.number"
        " || ' ' || (SELECT brand || ' ' || model || ' ' || marketing_name FROM product"
        "            WHERE product.id = application.product_id)"
        " || ' ' || (SELECT name FROM organization"
        "            WHERE organization.id = application.manufacturer_id)"
        f" || ' ' || coalesce({tacs}, ''))"))


def upgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    with op.batch_alter_table("application") as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False,
                                      server_default=""))
    _fill_search_text(bind, postgresql)
    with op.batch_alter_table("application") as batch_op:
        batch_op.alter_column("search_text", server_default=None)
    trigrams = postgresql and _trigrams_available(bind)
    for table, column in SEARCHED:
        name = f"ix_{table}_{column}_search"
        if trigrams:
            op.create_index(name, table, [column], postgresql_using="gin",
                            postgresql_ops={column: "gin_trgm_ops"})
        elif postgresql:
            op.create_index(name, table, [column],
                            postgresql_ops={column: "varchar_pattern_ops"})
        else:
            op.create_index(name, table, [column])
    for table, column in PREFIXED:
        op.create_index(f"ix_{table}_{column}_prefix", table, [column],
                        postgresql_ops={column: "varchar_pattern_ops"})
    op.create_index("ix_application_submitted_at", "application", ["submitted_at"])
    op.create_index("ix_certificate_market_status", "certificate", ["market", "status"])
    op.create_index("ix_certificate_issued_at", "certificate", ["issued_at"])
    op.create_index("ix_certificate_status_valid_until", "certificate",
                    ["status", "valid_until"])


def downgrade():
    op.drop_index("ix_certificate_status_valid_until", table_name="certificate")
    op.drop_index("ix_certificate_issued_at", table_name="certificate")
    op.drop_index("ix_certificate_market_status", table_name="certificate")
    op.drop_index("ix_application_submitted_at", table_name="application")
    for table, column in reversed(PREFIXED):
        op.drop_index(f"ix_{table}_{column}_prefix", table_name=table)
    for table, column in reversed(SEARCHED):
        op.drop_index(f"ix_{table}_{column}_search", table_name=table)
    with op.batch_alter_table("application") as batch_op:
        batch_op.drop_column("search_text")
