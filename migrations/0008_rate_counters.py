from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    """Request budgets shared by every server process."""

    dependencies = [('models', '0007_names_claim_sound')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RateCounter',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bucket', fields.CharField(max_length=32)),
                ('client', fields.CharField(max_length=128)),
                ('minute', fields.BigIntField(db_index=True)),
                ('hits', fields.IntField(default=0)),
            ],
            options={'table': 'rate_counters', 'app': 'models', 'unique_together': (('bucket', 'client', 'minute'),), 'pk_attr': 'id', 'table_description': 'How many requests `client` made against `bucket` in the minute `minute` (Unix time in minutes).'},
            bases=['Model'],
        ),
    ]
