from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    """Signed copies: the binding documents with their PAdES signatures."""

    dependencies = [('models', '0013_contributions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SignedCopy',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('document', fields.ForeignKeyField('models.Document', source_field='document_id', unique=True, db_constraint=True, to_field='id', related_name='signed_copies', on_delete=OnDelete.CASCADE)),
                ('sealed', fields.BinaryField()),
                ('sha256', fields.CharField(max_length=64)),
                ('signatures', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'signed_copies', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A binding document with every signature made so far embedded as PAdES signatures (a derived file: the'},
            bases=['Model'],
        ),
    ]
