from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    """Signatures of every participant (and for corporate shareholders); one-time signing codes."""

    dependencies = [('models', '0009_partner_applications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SigningCode',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='signing_codes', on_delete=OnDelete.CASCADE)),
                ('participant_id', fields.UUIDField(db_index=True)),
                ('participant_digest', fields.CharField(max_length=64)),
                ('code_hash', fields.CharField(max_length=64)),
                ('link_hash', fields.CharField(null=True, unique=True, max_length=64)),
                ('phone_sealed', fields.BinaryField()),
                ('issued_by', fields.CharField(max_length=64)),
                ('attempts', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'signing_codes', 'app': 'models', 'pk_attr': 'id', 'table_description': "A one-time code sent to the phone of a signer, used once within its validity and kept as a keyed hash."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Signature',
            name='signer',
            field=fields.ForeignKeyField('models.User', source_field='signer_id', null=True, db_constraint=True, to_field='id', related_name='signatures', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Signature',
            name='on_behalf_of_id',
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name='Signature',
            name='participant_id',
            field=fields.UUIDField(null=True, db_index=True),
        ),
    ]
