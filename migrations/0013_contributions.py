from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    """Each shareholder's subscribed contribution: amount, form and payment deadline."""

    dependencies = [('models', '0012_subscribe_messages')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Participant',
            name='contribution',
            field=fields.JSONField(null=True),
        ),
    ]
