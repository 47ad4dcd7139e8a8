package io.roomgate.edge;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are "the database is unavailable" (a 503 to retry) rather than a 500. */
class DatabaseUnavailableTest {

    @Test
    void a_server_shutting_down_a_lost_connection_and_a_closed_one_are_unavailability() {
        assertThat(ErrorResponses.databaseUnavailable(new RuntimeException(new SQLException("terminating connection", "57P01")))).isNotNull();
        assertThat(ErrorResponses.databaseUnavailable(new RuntimeException(new SQLException("I/O error", "08006")))).isNotNull();
        // Hibernate's GenericJDBCException around a stateless "Connection is closed", as in the outage test
        assertThat(ErrorResponses.databaseUnavailable(new IllegalStateException("could not prepare statement",
                new SQLException("Connection is closed")))).isNotNull();
    }

    @Test
    void other_sql_failures_are_not() {
        assertThat(ErrorResponses.databaseUnavailable(new RuntimeException(new SQLException("syntax error", "42601")))).isNull();
        assertThat(ErrorResponses.databaseUnavailable(new RuntimeException(new SQLException("value too long")))).isNull();
        assertThat(ErrorResponses.databaseUnavailable(new IllegalArgumentException("no"))).isNull();
    }
}
