"""account self-service: sessions seen, email-change links, members' leaders

Revision ID: 0014_account_self_service
Revises: 0013_inspections
Create Date: 2026-12-02 05:56:01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = '0014_account_self_service'
down_revision: str | None = '0013_inspections'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('one_time_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_email', sqlmodel.sql.sqltypes.AutoString(length=254),
                                      nullable=True))

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', app.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        # Sessions started before this revision have no browser to show.
        batch_op.add_column(sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=False, server_default=''))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_admin', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('member_admin')

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('user_agent')
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('one_time_link', schema=None) as batch_op:
        batch_op.drop_column('new_email')
