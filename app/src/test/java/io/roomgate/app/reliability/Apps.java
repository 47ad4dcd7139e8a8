package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.postgres.ScenariosOnPostgres;

/**
 * Where a reliability test sends its requests: request {@code i}'s write to {@link #writer},
 * its read to {@link #reader}. One embedded app ({@link OneApp}) or two command and two query
 * nodes ({@link TwoByTwoNodes}).
 */
interface Apps extends AutoCloseable {

    /** Where write {@code i} goes (a command node). */
    Api writer(int i);

    /** Where read {@code i} goes (a query node). */
    Api reader(int i);

    /** The topology as the summary line names it. */
    String describe();

    @Override
    default void close() throws Exception {
    }

    /** The embedded app: every request to it, on H2 (or PostgreSQL in the scenarios-on-postgresql run). */
    record OneApp(Api api) implements Apps {

        @Override
        public Api writer(int i) {
            return api;
        }

        @Override
        public Api reader(int i) {
            return api;
        }

        @Override
        public String describe() {
            return "embedded app, " + ScenariosOnPostgres.databaseName();
        }
    }
}
