package io.roomgate.app.reliability;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ReadAfterWrite} across two command nodes and two query nodes on one PostgreSQL: write
 * {@code i} goes to command node {@code i mod 2}, and the read after it to query node
 * {@code (i + 1) mod 2}, so no node answers a read after its own write.
 */
class ReadAfterWriteAcrossNodesIT extends ReadAfterWrite {

    private TwoByTwoNodes nodes;

    @BeforeAll
    void startCluster() throws Exception {
        nodes = new TwoByTwoNodes("raw", 1);
    }

    @Override
    Apps apps() {
        return nodes;
    }

    @Override
    String part() {
        return "read after write across nodes";
    }
}
