from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='ClockOffset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('offset_seconds', fields.FloatField(default=0.0)),
            ],
            options={'table': 'clock_offset', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The mock clock’s offset, shared by every server process (one row, id 1).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerCheckpoint',
            fields=[
                ('size', fields.BigIntField(primary_key=True, unique=True, db_index=True)),
                ('text', fields.TextField(unique=False)),
                ('cosignatures', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ledger_checkpoints', 'app': 'models', 'pk_attr': 'size', 'table_description': 'A checkpoint the log has signed, at most one per size.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerEntry',
            fields=[
                ('idx', fields.BigIntField(primary_key=True, unique=True, db_index=True)),
                ('leaf', fields.BinaryField()),
                ('leaf_hash', fields.BinaryField()),
            ],
            options={'table': 'ledger_entries', 'app': 'models', 'pk_attr': 'idx', 'table_description': 'One leaf of the log, `idx` is its position, unique, so the log can never fork.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerHash',
            fields=[
                ('idx', fields.BigIntField(primary_key=True, unique=True, db_index=True)),
                ('hash', fields.BinaryField()),
            ],
            options={'table': 'ledger_hashes', 'app': 'models', 'pk_attr': 'idx', 'table_description': 'A stored subtree hash at its storage index (Go tlog layout), proofs read O(log n) of these.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerHead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('size', fields.BigIntField(default=0)),
            ],
            options={'table': 'ledger_head', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The tree size, advanced only by compare-and-set (one row, id 1).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('appid', fields.CharField(max_length=64)),
                ('openid', fields.CharField(max_length=128)),
                ('session_key_sealed', fields.BinaryField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_login_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'users', 'app': 'models', 'unique_together': (('appid', 'openid'),), 'pk_attr': 'id', 'table_description': 'A person known by their WeChat openid within our appid.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Application',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.CASCADE)),
                ('entity_type', fields.CharField(max_length=48)),
                ('state', fields.CharField(db_index=True, max_length=32)),
                ('version', fields.IntField(default=0)),
                ('company_name', fields.CharField(null=True, max_length=100)),
                ('details', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('details_digest', fields.CharField(null=True, max_length=64)),
                ('identity_digest', fields.CharField(null=True, max_length=64)),
                ('contact_sealed', fields.BinaryField(null=True)),
                ('review', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'applications', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One company formation, owned by the user who started it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Document',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=32)),
                ('sha256', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('sealed', fields.BinaryField()),
                ('current', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'documents', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A generated binding document, the PDF is sealed at rest, its SHA-256 is over the plaintext.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FaceCheck',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='face_checks', on_delete=OnDelete.CASCADE)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='face_checks', on_delete=OnDelete.CASCADE)),
                ('identity_digest', fields.CharField(max_length=64)),
                ('verify_id', fields.CharField(unique=True, max_length=128)),
                ('out_seq_no', fields.CharField(unique=True, max_length=32)),
                ('cert_hash', fields.CharField(max_length=64)),
                ('status', fields.CharField(max_length=16)),
                ('failure_code', fields.CharField(null=True, max_length=48)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('passed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'face_checks', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One WeChat face verification of a user against the identity on an application.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Identity',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='identities', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='identities', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharField(max_length=32)),
                ('document_type', fields.CharField(max_length=48)),
                ('sealed', fields.BinaryField()),
                ('number_lookup', fields.CharField(db_index=True, max_length=64)),
                ('digest', fields.CharField(max_length=64)),
                ('status', fields.CharField(max_length=16)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'identities', 'app': 'models', 'unique_together': (('application', 'role'),), 'pk_attr': 'id', 'table_description': 'A participant’s identity on an application, personal fields are sealed (encrypted).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerRecord',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', null=True, db_constraint=True, to_field='id', related_name='records', on_delete=OnDelete.SET_NULL)),
                ('step', fields.CharField(max_length=48)),
                ('leaf', fields.BinaryField()),
                ('ledger_index', fields.BigIntField(null=True, unique=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ledger_records', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The outbox of the ledger and the timeline of an application: a use case writes its record here in its own'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Licence',
            fields=[
                ('uscc', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=18)),
                ('application', fields.OneToOneField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='licence', on_delete=OnDelete.CASCADE)),
                ('data', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(max_length=16)),
                ('record', fields.ForeignKeyField('models.LedgerRecord', source_field='record_id', db_constraint=True, to_field='id', related_name='licences', on_delete=OnDelete.RESTRICT)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'licences', 'app': 'models', 'pk_attr': 'uscc', 'table_description': 'An electronic business licence, public by law, `data` is exactly what the licence shows.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NameClaim',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name_key', fields.CharField(unique=True, max_length=120)),
                ('name', fields.CharField(max_length=100)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='name_claims', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(max_length=16)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'name_claims', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A reserved (or registered) name, the unique key makes exactly one of two racing applicants win.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RefreshToken',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='refresh_tokens', on_delete=OnDelete.CASCADE)),
                ('family', fields.UUIDField(db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked', fields.BooleanField(default=False)),
            ],
            options={'table': 'refresh_tokens', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A single-use refresh token, reuse of a used one revokes its whole family.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Signature',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.Application', source_field='application_id', db_constraint=True, to_field='id', related_name='signatures', on_delete=OnDelete.CASCADE)),
                ('signer', fields.ForeignKeyField('models.User', source_field='signer_id', db_constraint=True, to_field='id', related_name='signatures', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharField(max_length=32)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('signature_b64', fields.TextField(unique=False)),
                ('certificate_pem', fields.TextField(unique=False)),
                ('valid', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'signatures', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A participant’s signature over the application id, document hashes, time and assurance level.'},
            bases=['Model'],
        ),
    ]
