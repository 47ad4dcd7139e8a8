package io.roomgate.query.view;

/**
 * A read cannot be answered consistently: the view has not applied, within the bounded wait, the
 * writes the read must see, or too many reads wait already ({@code crowded}: retry shortly). The
 * web edge answers 503 {@code consistency-timeout}.
 */
public class ViewBehind extends RuntimeException {

    private final boolean crowded;

    public ViewBehind(String message, boolean crowded) {
        super(message);
        this.crowded = crowded;
    }

    public boolean crowded() {
        return crowded;
    }
}
