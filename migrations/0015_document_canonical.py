from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    """Each document keeps the hash of its canonical JSON, so the review checks it states the data as it is."""

    dependencies = [('models', '0014_signed_copies')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Document',
            name='canonical_sha256',
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
