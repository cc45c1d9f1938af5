from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    """The outbox of subscribe messages to applicants, and each application's time from start to licence."""

    dependencies = [('models', '0011_uscc')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SubscribeMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('record_id', fields.BigIntField(unique=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='subscribe_messages', on_delete=OnDelete.CASCADE)),
                ('application_id', fields.UUIDField(db_index=True)),
                ('event', fields.CharField(max_length=32)),
                ('template_id', fields.CharField(max_length=64)),
                ('page', fields.CharField(max_length=200)),
                ('data', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'subscribe_messages', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One message for one status change, written in the change\'s transaction and then sent (or given up).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Application',
            name='licensed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Application',
            name='time_to_licence_s',
            field=fields.IntField(null=True),
        ),
    ]
