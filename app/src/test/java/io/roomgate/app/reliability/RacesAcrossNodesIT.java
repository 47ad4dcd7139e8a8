package io.roomgate.app.reliability;

import io.roomgate.app.Api;
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
    void closeTopology() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Override
    Api writer(int i) {
        return nodes.writer(i);
    }

    @Override
    Api reader(int i) {
        return nodes.reader(i);
    }

    @Override
    String part() {
        return "races across nodes";
    }

    @Override
    String topology() {
        return TwoByTwoNodes.topology();
    }
}
