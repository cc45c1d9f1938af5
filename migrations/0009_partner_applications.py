from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.fields.base import OnDelete


class Migration(migrations.Migration):
    """Applications submitted by a partner for an applicant it verified, and the partners' signed attestations."""

    dependencies = [('models', '0008_rate_counters')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Application',
            name='partner_id',
            field=fields.UUIDField(null=True, db_index=True),
        ),
        ops.AddField(
            model_name='Application',
            name='partner_reference',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.CreateModel(
            name='PartnerAttestation',
            fields=[
                ('id', fields.UUIDField(primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_constraint=True, to_field='id', related_name='attestations', on_delete=OnDelete.CASCADE)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='attestations', on_delete=OnDelete.CASCADE)),
                ('participant_id', fields.UUIDField(db_index=True)),
                ('verification_id', fields.UUIDField()),
                ('jws', fields.TextField()),
                ('payload_sha256', fields.CharField(max_length=64, unique=True)),
                ('assurance', fields.CharField(max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'partner_attestations', 'app': 'models', 'pk_attr': 'id', 'table_description': "A partner's signed attestation that it verified a participant in person (a compact JWS over hashes and ids"},
            bases=['Model'],
        ),
    ]
