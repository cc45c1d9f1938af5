from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    """Partner organisations and the nonces of their signed requests."""

    dependencies = [('models', '0002_document_salt')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Partner',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharField(max_length=32)),
                ('region', fields.CharField(max_length=2)),
                ('key_id', fields.CharField(unique=True, max_length=128)),
                ('public_key', fields.BinaryField()),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('rate_limit_per_minute', fields.IntField(default=60)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'partners', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A partner registered by an admin: its Ed25519 request-signing key, what it may do, how fast.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_constraint=True, to_field='id', related_name='requests', on_delete=OnDelete.CASCADE)),
                ('nonce', fields.CharField(max_length=128)),
                ('received_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'partner_requests', 'app': 'models', 'unique_together': (('partner', 'nonce'),), 'pk_attr': 'id', 'table_description': 'One accepted signed request: its nonce (unique per partner, so a replay is refused) and when it came, which'},
            bases=['Model'],
        ),
    ]
