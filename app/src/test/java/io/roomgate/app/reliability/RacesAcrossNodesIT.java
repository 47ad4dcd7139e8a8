package io.roomgate.app.reliability;

import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link Races} across two command nodes and two query nodes on one real PostgreSQL: the
 * racing writes of a race alternate between the command nodes, and every read after a write is
 * answered by a query node (the one that did not see the previous read), with the write's
 * consistency token where the race relies on it.
 */
class RacesAcrossNodesIT extends Races {

    private TwoByTwoNodes nodes;

    @BeforeAll
    void startCluster() throws Exception {
        nodes = new TwoByTwoNodes("races", 0);
    }

    @Override
    Apps apps() {
        return nodes;
    }

    @Override
    String part() {
        return "races across nodes";
    }
}
