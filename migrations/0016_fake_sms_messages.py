from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    """The fake SMS gateway's outbox (mock mode), shared by every server process."""

    dependencies = [('models', '0015_document_canonical')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FakeSmsMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('phone_hash', fields.CharField(db_index=True, max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'fake_sms_messages', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One text message the fake SMS gateway accepted (mock mode only), found by a keyed hash of its phone number.'},
            bases=['Model'],
        ),
    ]
