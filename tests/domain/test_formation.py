"""The formation state machine, without I/O."""
from __future__ import annotations

import pytest

from backend.domain.formation import PROGRESSION, REQUIRES, RESULT, State, Step, StepConflict, next_step, plan_step, plan_withdraw


@pytest.mark.parametrize("step", list(Step))
def test_each_step_moves_from_its_requirement_to_its_result(step):
    transition = plan_step(REQUIRES[step], step, changed=True)
    assert transition.state == RESULT[step] and transition.changes


@pytest.mark.parametrize("step", [s for s in Step if s != Step.IDENTITY])
def test_a_step_before_its_requirement_is_refused_with_the_values(step):
    with pytest.raises(StepConflict) as caught:
        plan_step(State.CREATED, step, changed=True)
    assert caught.value.status == 409
    assert caught.value.params == {"step": step.value, "state": "created", "required": REQUIRES[step].value}


def test_a_repeated_step_with_the_same_input_changes_nothing():
    for step in (Step.IDENTITY, Step.NAME, Step.DETAILS, Step.DOCUMENTS):
        for state in PROGRESSION[PROGRESSION.index(RESULT[step]) : PROGRESSION.index(State.SUBMITTED)]:
            assert plan_step(state, step, changed=False).changes is False, (state, step)


def test_new_data_after_documents_goes_back_to_details_completed():
    for state in (State.DOCUMENTS_GENERATED, State.SIGNED):
        transition = plan_step(state, Step.DETAILS, changed=True)
        assert transition.state == State.DETAILS_COMPLETED and transition.invalidates_documents
    # before documents exist nothing is invalidated and the state stays
    transition = plan_step(State.DETAILS_COMPLETED, Step.NAME, changed=True)
    assert transition.state == State.DETAILS_COMPLETED and not transition.invalidates_documents


@pytest.mark.parametrize("state", [State.SUBMITTED, State.APPROVED, State.LICENSED])
def test_a_submitted_application_cannot_change(state):
    with pytest.raises(StepConflict) as caught:
        plan_step(state, Step.DETAILS, changed=True)
    assert caught.value.code == "application_submitted"
    assert plan_step(state, Step.SUBMIT, changed=False).changes is False  # a retried submit is answered, not refused
    with pytest.raises(StepConflict):
        plan_withdraw(state)


def test_withdrawn_is_final_and_withdrawing_twice_is_idempotent():
    assert plan_withdraw(State.NAME_RESERVED).state == State.WITHDRAWN
    assert plan_withdraw(State.WITHDRAWN).changes is False
    with pytest.raises(StepConflict) as caught:
        plan_step(State.WITHDRAWN, Step.NAME, changed=True)
    assert caught.value.code == "application_withdrawn"


def test_a_rejected_application_is_fixed_and_resubmitted():
    assert plan_step(State.REJECTED, Step.DETAILS, changed=True).state == State.DETAILS_COMPLETED
    assert plan_step(State.REJECTED, Step.DOCUMENTS, changed=False).state == State.DOCUMENTS_GENERATED
    assert next_step(State.REJECTED) == "details"


def test_next_step_walks_the_progression():
    assert [next_step(s) for s in PROGRESSION] == [
        "identity", "name", "details", "documents", "signature", "submit", None, None, None, None,
    ]


def test_officers_decide_only_applications_in_review():
    from backend.domain.formation import Decision, StepConflict, plan_decision

    assert plan_decision(State.IN_REVIEW, Decision.APPROVE).state == State.APPROVED
    assert plan_decision(State.IN_REVIEW, Decision.REJECT).state == State.REJECTED
    assert plan_decision(State.IN_REVIEW, Decision.REQUEST_INFO).state == State.INFO_REQUESTED
    assert not plan_decision(State.REJECTED, Decision.REJECT).changes  # a repeated decision
    assert not plan_decision(State.LICENSED, Decision.APPROVE).changes
    for state in (State.CREATED, State.SIGNED, State.REJECTED):
        with pytest.raises(StepConflict):
            plan_decision(state, Decision.APPROVE)


def test_an_application_in_review_is_closed_to_the_applicant_and_returned_ones_reopen():
    from backend.domain.formation import StepConflict

    with pytest.raises(StepConflict):
        plan_step(State.IN_REVIEW, Step.DETAILS, changed=True)
    assert plan_step(State.INFO_REQUESTED, Step.DETAILS, changed=True).state == State.DETAILS_COMPLETED
    assert plan_step(State.INFO_REQUESTED, Step.DOCUMENTS, changed=False).state == State.DOCUMENTS_GENERATED
    assert next_step(State.INFO_REQUESTED) == "details"
