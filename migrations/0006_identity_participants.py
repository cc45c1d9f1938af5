from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    """Participants with roles, their verifications and consents, audited data views; face checks per participant."""

    dependencies = [('models', '0005_notifications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Consent',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='consents', on_delete=OnDelete.CASCADE)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='consents', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharField(max_length=48)),
                ('text_version', fields.CharField(max_length=48)),
                ('text_sha256', fields.CharField(max_length=64)),
                ('granted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'consents', 'app': 'models', 'pk_attr': 'id', 'table_description': "A person's separate consent (PIPL Art. 29) to the processing of sensitive identity data for an application."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DataAccess',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('viewer', fields.CharField(max_length=64)),
                ('role', fields.CharField(max_length=32)),
                ('application_id', fields.UUIDField()),
                ('participant_id', fields.UUIDField(null=True)),
                ('purpose', fields.CharField(max_length=64)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'data_access_log', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An audited view of clear personal data by a reviewer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Participant',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='participants', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='participations', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('roles', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('document_type', fields.CharField(max_length=48)),
                ('sealed', fields.BinaryField()),
                ('key_id', fields.CharField(max_length=32)),
                ('number_index', fields.CharField(db_index=True, max_length=64)),
                ('digest', fields.CharField(max_length=64)),
                ('representative_id', fields.UUIDField(null=True)),
                ('invitation_hash', fields.CharField(null=True, max_length=64)),
                ('status', fields.CharField(max_length=24)),
                ('assurance', fields.CharField(null=True, max_length=32)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'participants', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A natural person or corporate shareholder on an application, every personal field sealed (encrypted).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Verification',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('participant', fields.ForeignKeyField('models.Participant', source_field='participant_id', db_constraint=True, to_field='id', related_name='verifications', on_delete=OnDelete.CASCADE)),
                ('method', fields.CharField(max_length=32)),
                ('status', fields.CharField(max_length=16)),
                ('assurance', fields.CharField(max_length=32)),
                ('participant_digest', fields.CharField(max_length=64)),
                ('reference', fields.CharField(null=True, max_length=64)),
                ('closed_by', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'verifications', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One identity verification of a participant by a path other than a face check in the mini-program.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Application',
            name='governance',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='FaceCheck',
            name='participant_id',
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name='Identity',
            name='key_id',
            field=fields.CharField(null=True, max_length=32),
        ),
    ]
