package io.roomgate.store;

import java.util.Locale;

/** Who may append to the store besides this process. */
public final class StoreWriters {

    private StoreWriters() {
    }

    /**
     * Whether this process is the store's only writer: an H2 database, which one process holds,
     * unless its URL lets others in with {@code AUTO_SERVER}. PostgreSQL (or anything else) is
     * taken to be shared by several nodes.
     */
    public static boolean onlyThisProcess(String datasourceUrl) {
        return datasourceUrl != null && datasourceUrl.startsWith("jdbc:h2:")
                && !datasourceUrl.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }
}
