package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.scaleout.Cluster;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/**
 * {@link ReadAfterWrite} across two command nodes and two query nodes on one PostgreSQL: write
 * {@code i} goes to command node {@code i mod 2}, and the read after it to query node
 * {@code (i + 1) mod 2}, so no node answers a read after its own write.
 */
class ReadAfterWriteAcrossNodesTest extends ReadAfterWrite {

    private Cluster cluster;
    private List<Api> commandNodes;
    private List<Api> queryNodes;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new Cluster();
        commandNodes = List.of(cluster.api(cluster.startCommandNode("raw-command-1")),
                cluster.api(cluster.startCommandNode("raw-command-2")));
        queryNodes = List.of(cluster.api(cluster.startQueryNode("raw-query-1")),
                cluster.api(cluster.startQueryNode("raw-query-2")));
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
        return queryNodes.get(Math.floorMod(i + 1, 2));
    }

    @Override
    String part() {
        return "read after write across nodes";
    }

    @Override
    String topology() {
        return "2 command + 2 query nodes, PostgreSQL";
    }
}
