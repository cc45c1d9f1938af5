"""Who must be identified (real-name check) before anyone signs the formation documents. Pure, no I/O."""
from __future__ import annotations

from collections.abc import Sequence

from backend.domain.participants.model import CorporateShareholder, NaturalPerson, Participant, Role

#: A natural person holding any of these roles is identified before signing. A deputy manager alone is not
#: (issue 3 lists shareholders, the legal representative, directors, supervisors, manager, finance officer, liaison).
IDENTIFIED_ROLES = frozenset({
    Role.SHAREHOLDER,
    Role.LEGAL_REPRESENTATIVE,
    Role.DIRECTOR,
    Role.CHAIR,
    Role.EXECUTIVE_DIRECTOR,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.FINANCE_OFFICER,
    Role.LIAISON,
})


def roles_needing_identity(participants: Sequence[Participant]) -> tuple[NaturalPerson, ...]:
    """Every natural person to identify before signing, once each, in the order given."""
    representatives = {
        p.representative_id for p in participants if isinstance(p, CorporateShareholder) and p.representative_id
    }
    chosen: dict[str, NaturalPerson] = {}
    for person in participants:
        if not isinstance(person, NaturalPerson) or person.id in chosen:
            continue
        if person.roles & IDENTIFIED_ROLES or person.id in representatives:
            chosen[person.id] = person
    return tuple(chosen.values())
