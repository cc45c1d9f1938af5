from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    """Documents keep the salt of their ledger commitment (deleted when the document is erased)."""

    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Document',
            name='salt',
            field=fields.BinaryField(null=True),
        ),
    ]
