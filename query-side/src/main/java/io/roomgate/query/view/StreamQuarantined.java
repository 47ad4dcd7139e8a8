package io.roomgate.query.view;

/**
 * A read depends on a stream the view set aside (it could not apply one of its events): never an
 * answer from a half-applied stream. The web edge answers 503 {@code view-quarantined}.
 */
public class StreamQuarantined extends RuntimeException {

    public StreamQuarantined() {
        super("the view could not apply an event this answer depends on, so it is set aside until an operator retries it "
                + "(GET /v1/admin/projections/join-eligibility/status lists it); retry later");
    }
}
