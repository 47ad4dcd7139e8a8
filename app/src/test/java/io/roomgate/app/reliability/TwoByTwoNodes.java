package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.scaleout.Cluster;

import java.io.IOException;
import java.util.List;

/**
 * Two command nodes and two query nodes on one embedded PostgreSQL, for the reliability tests
 * that run across nodes: request {@code i}'s write goes to command node {@code i mod 2}, a read
 * to query node {@code i mod 2} (shifted by {@code readShift}, so a read need not land where the
 * previous one did).
 */
final class TwoByTwoNodes implements Apps {

    private final Cluster cluster;
    private final List<Api> commandNodes;
    private final List<Api> queryNodes;
    private final int readShift;

    TwoByTwoNodes(String prefix, int readShift) throws IOException {
        this.cluster = new Cluster();
        this.readShift = readShift;
        this.commandNodes = List.of(cluster.api(cluster.startCommandNode(prefix + "-command-1")),
                cluster.api(cluster.startCommandNode(prefix + "-command-2")));
        this.queryNodes = List.of(cluster.api(cluster.startQueryNode(prefix + "-query-1")),
                cluster.api(cluster.startQueryNode(prefix + "-query-2")));
    }

    @Override
    public Api writer(int i) {
        return commandNodes.get(Math.floorMod(i, 2));
    }

    @Override
    public Api reader(int i) {
        return queryNodes.get(Math.floorMod(i + readShift, 2));
    }

    @Override
    public String describe() {
        return "2 command + 2 query nodes, PostgreSQL";
    }

    @Override
    public void close() throws IOException {
        cluster.close();
    }
}
