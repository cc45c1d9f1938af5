from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    """Name claims keep the toneless pinyin of their 字号 (homophone search) and whether they are held for a year."""

    dependencies = [('models', '0006_identity_participants')]

    initial = False

    operations = [
        ops.AddField(
            model_name='NameClaim',
            name='pre_approval',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='NameClaim',
            name='sound',
            field=fields.CharField(null=True, db_index=True, max_length=200),
        ),
        ops.AddIndex(
            model_name='NameClaim',
            index=Index(fields=['sound']),
        ),
    ]
