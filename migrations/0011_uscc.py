from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    """Every credit code ever allocated, keyed by the serial its organisation code carries."""

    dependencies = [('models', '0010_signing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='UsccAllocation',
            fields=[
                ('serial', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(null=True, unique=True, max_length=18)),
                ('application_id', fields.UUIDField(null=True)),
                ('allocated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'uscc_allocations', 'app': 'models', 'pk_attr': 'serial', 'table_description': 'One allocated code, committed before it is used: an abandoned one stays here and is never reissued.'},
            bases=['Model'],
        ),
    ]
