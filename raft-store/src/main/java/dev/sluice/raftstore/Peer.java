package dev.sluice.raftstore;

import java.util.ArrayList;
import java.util.List;

/** A node of the cluster as the others reach it: {@code id=host:raftPort}. */
public record Peer(String id, String host, int port) {
    public Peer {
        if (id == null || id.isBlank() || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("peer id must be 1-64 of [A-Za-z0-9_-]: " + id);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("peer " + id + " has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer " + id + " has port out of range: " + port);
        }
    }

    public String address() {
        return host + ":" + port;
    }

    /** Parses {@code id=host:port,id=host:port}; throws IllegalArgumentException naming the bad part. */
    public static List<Peer> parseList(String text) {
        List<Peer> peers = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return peers;
        }
        for (String part : text.split(",")) {
            String item = part.trim();
            int equals = item.indexOf('=');
            int colon = item.lastIndexOf(':');
            if (equals <= 0 || colon < equals) {
                throw new IllegalArgumentException("peer must be id=host:port: '" + item + "'");
            }
            try {
                peers.add(new Peer(item.substring(0, equals), item.substring(equals + 1, colon),
                        Integer.parseInt(item.substring(colon + 1))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("peer port is not a number: '" + item + "'");
            }
        }
        return peers;
    }

    @Override
    public String toString() {
        return id + "=" + address();
    }
}
