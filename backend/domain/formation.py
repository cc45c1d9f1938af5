"""The formation state machine: steps, their order, and what redoing a step does. Pure, no I/O."""
from __future__ import annotations

import dataclasses
import enum

from backend.errors import Conflict


class State(enum.StrEnum):
    """Where an application stands."""

    CREATED = "created"
    IDENTITY_VERIFIED = "identity_verified"
    NAME_RESERVED = "name_reserved"
    DETAILS_COMPLETED = "details_completed"
    DOCUMENTS_GENERATED = "documents_generated"
    SIGNED = "signed"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"  # the machine review found something: an officer decides
    INFO_REQUESTED = "info_requested"  # an officer asks the applicant for more or corrected information
    REJECTED = "rejected"
    APPROVED = "approved"
    LICENSED = "licensed"
    WITHDRAWN = "withdrawn"


class Step(enum.StrEnum):
    """What an applicant (or the review) does to an application."""

    IDENTITY = "identity"
    NAME = "name"
    DETAILS = "details"
    DOCUMENTS = "documents"
    SIGNATURE = "signature"
    SUBMIT = "submit"


PROGRESSION = (
    State.CREATED,
    State.IDENTITY_VERIFIED,
    State.NAME_RESERVED,
    State.DETAILS_COMPLETED,
    State.DOCUMENTS_GENERATED,
    State.SIGNED,
    State.SUBMITTED,
    State.IN_REVIEW,
    State.APPROVED,
    State.LICENSED,
)
_RANK = {state: rank for rank, state in enumerate(PROGRESSION)}
_RANK[State.REJECTED] = _RANK[State.DETAILS_COMPLETED]  # a rejected draft resumes from its data steps
_RANK[State.INFO_REQUESTED] = _RANK[State.DETAILS_COMPLETED]
RETURNED = frozenset({State.REJECTED, State.INFO_REQUESTED})  # back with the applicant, to edit and resubmit

REQUIRES = {
    Step.IDENTITY: State.CREATED,
    Step.NAME: State.IDENTITY_VERIFIED,
    Step.DETAILS: State.NAME_RESERVED,
    Step.DOCUMENTS: State.DETAILS_COMPLETED,
    Step.SIGNATURE: State.DOCUMENTS_GENERATED,
    Step.SUBMIT: State.SIGNED,
}
RESULT = {
    Step.IDENTITY: State.IDENTITY_VERIFIED,
    Step.NAME: State.NAME_RESERVED,
    Step.DETAILS: State.DETAILS_COMPLETED,
    Step.DOCUMENTS: State.DOCUMENTS_GENERATED,
    Step.SIGNATURE: State.SIGNED,
    Step.SUBMIT: State.SUBMITTED,
}
DATA_STEPS = frozenset({Step.IDENTITY, Step.NAME, Step.DETAILS})
_CLOSED = frozenset({State.SUBMITTED, State.IN_REVIEW, State.APPROVED, State.LICENSED})


class StepConflict(Conflict):
    """A step that the application's state does not allow now."""

    default_code = "step_out_of_order"


@dataclasses.dataclass(frozen=True)
class Transition:
    """The outcome of planning a step: the new state, and whether anything changes at all."""

    state: State
    changes: bool
    invalidates_documents: bool = False


def rank(state: State) -> int:
    """Position of `state` in the normal progression."""
    return _RANK.get(state, -1)


def plan_step(state: State, step: Step, *, changed: bool) -> Transition:
    """Decide what doing `step` in `state` does; `changed` says whether its input differs from what is stored.

    A step done again with the same input changes nothing (a retry is idempotent). A data step done again with new
    input keeps the application where it is but sends a generated or signed draft back to "details completed",
    because its documents and signatures no longer match the data.
    """
    if state == State.WITHDRAWN:
        raise StepConflict("application_withdrawn", step=step.value, state=state.value)
    if state in _CLOSED:
        if not changed and step in (Step.SUBMIT, Step.SIGNATURE, Step.DOCUMENTS):
            return Transition(state=state, changes=False)
        raise StepConflict("application_submitted", step=step.value, state=state.value)
    required = REQUIRES[step]
    if rank(state) < rank(required):
        raise StepConflict(step=step.value, state=state.value, required=required.value)
    result = RESULT[step]
    if state in RETURNED and step in (Step.DOCUMENTS, Step.SIGNATURE, Step.SUBMIT):
        changed = True  # after a rejection the derived steps are always done again
    if rank(state) < rank(result):
        return Transition(state=result, changes=True)
    if not changed:
        return Transition(state=state, changes=False)
    if step in DATA_STEPS:
        back = State.DETAILS_COMPLETED if rank(state) > rank(State.DETAILS_COMPLETED) or state in RETURNED else state
        return Transition(state=back, changes=True, invalidates_documents=back != state)
    if step == Step.DOCUMENTS:
        return Transition(state=State.DOCUMENTS_GENERATED, changes=True, invalidates_documents=True)
    return Transition(state=result, changes=True)


def plan_withdraw(state: State) -> Transition:
    """Withdraw a draft; a submitted or finished application cannot be withdrawn here."""
    if state == State.WITHDRAWN:
        return Transition(state=state, changes=False)
    if state in _CLOSED:
        raise StepConflict("application_submitted", step="withdraw", state=state.value)
    return Transition(state=State.WITHDRAWN, changes=True)


def next_step(state: State) -> str | None:
    """The step the applicant should do next, or None when there is nothing to do."""
    for step, required in REQUIRES.items():
        if required == state:
            return step.value
    if state in RETURNED:
        return Step.DETAILS.value
    return None


class Decision(enum.StrEnum):
    """What an officer decides about an application in review."""

    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_INFO = "request_info"


DECIDED = {Decision.APPROVE: State.APPROVED, Decision.REJECT: State.REJECTED, Decision.REQUEST_INFO: State.INFO_REQUESTED}


def plan_decision(state: State, decision: Decision) -> Transition:
    """An officer's decision on an application in review; deciding the same again changes nothing."""
    target = DECIDED[decision]
    if state == State.IN_REVIEW:
        return Transition(state=target, changes=True)
    if state == target or (decision == Decision.APPROVE and state == State.LICENSED):
        return Transition(state=state, changes=False)
    raise StepConflict("application_not_in_review", step=f"decision:{decision.value}", state=state.value)
