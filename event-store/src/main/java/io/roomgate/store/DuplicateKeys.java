package io.roomgate.store;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.SQLException;

/**
 * Tells a duplicate key from other failures of a write to the store, on H2 and PostgreSQL alike:
 * SQL state {@code 23505} (unique violation) anywhere among the causes, also inside a failed
 * batch. A duplicate (aggregate, sequence number) is a command that lost a race for its
 * aggregate: Axon turns it into a {@code ConcurrencyException}, which the gateway retries.
 * Other integrity violations (a null where none may be) are errors, not races.
 */
final class DuplicateKeys implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException() == next ? null : next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
