from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    """Officer accounts (password + TOTP) and the audit trail."""

    dependencies = [('models', '0003_partners')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('actor', fields.CharField(max_length=64)),
                ('action', fields.CharField(max_length=64)),
                ('target', fields.CharField(default='', max_length=128)),
                ('outcome', fields.CharField(default='ok', max_length=32)),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'audit_events', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One thing an officer did or tried (log-ins, views of personal data, decisions), kept for inspection.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Officer',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('display_name', fields.CharField(max_length=100)),
                ('roles', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('password_hash', fields.CharField(max_length=255)),
                ('totp_sealed', fields.BinaryField()),
                ('totp_last_step', fields.BigIntField(default=0)),
                ('failed_logins', fields.IntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'officers', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An officer account, created by an admin command (never through WeChat): password and TOTP second factor.'},
            bases=['Model'],
        ),
    ]
