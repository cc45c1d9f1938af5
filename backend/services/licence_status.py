"""Officers revoke (吊销) or deregister (注销) a licence: the status changes and a new status record goes to the
ledger, and the public verification proves that latest record, so a revocation cannot be hidden."""
from __future__ import annotations

from backend.domain.identifiers import check_uscc
from backend.errors import Conflict, NotFound
from backend.models import Application, LedgerRecord, Licence
from backend.services.container import Services
from backend.services.messages import enqueue_status_message
from backend.services.notifications import enqueue_event
from backend.services.officers import audit
from backend.services.review import licence_event
from backend.services.records import licence_record
from backend.services.transactions import atomic, note_record

# (from, to): a licence is revoked for a violation, deregistered when the company is dissolved (also after revocation)
ALLOWED = {("active", "revoked"), ("active", "deregistered"), ("revoked", "deregistered")}
STATUSES = ("revoked", "deregistered")


async def change_licence_status(svc: Services, *, uscc: str, status: str, reason: str, officer: str) -> Licence:
    """Move the licence to `status`, record it on the ledger and in the audit trail; a repeat changes nothing."""
    code = check_uscc(uscc.strip().upper())

    async def use_case(conn):
        licence = await Licence.filter(uscc=code).select_for_update().using_db(conn).first()
        if licence is None:
            raise NotFound("licence_not_found", uscc=code)
        if licence.status == status:
            return licence, False
        if (licence.status, status) not in ALLOWED:
            raise Conflict("licence_status_change_refused", uscc=code, current=licence.status, requested=status)
        application = await Application.get(id=licence.application_id).using_db(conn)
        now = svc.clock.now()
        leaf = licence_record(uscc=code, status=status, licence=licence.data, application_id=str(application.id),
                              at=now)
        record = await LedgerRecord.create(application=application, step=f"licence_{status}", leaf=leaf,
                                           created_at=now, using_db=conn)
        note_record(svc.sequencer, record.id)
        await enqueue_status_message(application=application, step=record.step, record_id=record.id, clock=svc.clock,
                                     template_id=svc.settings.wechat_status_template, conn=conn)
        licence.status, licence.record_id = status, record.id
        await licence.save(using_db=conn, update_fields=["status", "record_id"])
        await enqueue_event(event_type=f"licence.{status}", data=licence_event(licence.data, status=status),
                            clock=svc.clock, conn=conn)
        return licence, True

    licence, changed = await atomic(use_case)
    await audit(clock=svc.clock, actor=f"officer:{officer}", action=f"licence_{status}", target=code,
                outcome="ok" if changed else "unchanged", details={"reason": reason})
    return licence
