package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.scaleout.Cluster;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/**
 * The {@link Races} across two command nodes and two query nodes on one real PostgreSQL: the
 * racing writes of a race alternate between the command nodes, and every read after a write is
 * answered by a query node (the one that did not see the previous read), with the write's
 * consistency token where the race relies on it.
 */
class RacesAcrossNodesTest extends Races {

    private Cluster cluster;
    private List<Api> commandNodes;
    private List<Api> queryNodes;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new Cluster();
        commandNodes = List.of(cluster.api(cluster.startCommandNode("races-command-1")),
                cluster.api(cluster.startCommandNode("races-command-2")));
        queryNodes = List.of(cluster.api(cluster.startQueryNode("races-query-1")),
                cluster.api(cluster.startQueryNode("races-query-2")));
    }

    @Override
    void closeTopology() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    Api writer(int i) {
        return commandNodes.get(Math.floorMod(i, 2));
    }

    @Override
    Api reader(int i) {
        return queryNodes.get(Math.floorMod(i, 2));
    }

    @Override
    String part() {
        return "races across nodes";
    }

    @Override
    String topology() {
        return "2 command + 2 query nodes, PostgreSQL";
    }
}
