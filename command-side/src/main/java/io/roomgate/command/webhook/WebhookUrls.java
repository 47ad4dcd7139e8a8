package io.roomgate.command.webhook;

import io.roomgate.edge.ApiException;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which URLs a webhook may call: https only, and never an address inside the operator's network
 * (loopback, private, link-local, unique-local), so a webhook cannot be aimed at internal
 * services, also not through IPv6 forms that carry an IPv4 address. Both can be relaxed for
 * development and tests. Checked when a webhook is saved and again before every delivery, so a
 * name re-pointed at an internal address later is refused then (the HTTP client resolves the name
 * once more to connect: a name that changes its answer between the two is not caught).
 */
public class WebhookUrls {

    private final boolean allowHttp;
    private final boolean allowPrivateAddresses;
    /** A host of digits, dots and hex prefixes only: an IPv4 literal in some form. */
    private static final java.util.regex.Pattern NUMERIC_HOST = java.util.regex.Pattern.compile(
            "(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final java.util.regex.Pattern CANONICAL_IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])");

    public WebhookUrls(boolean allowHttp, boolean allowPrivateAddresses) {
        this.allowHttp = allowHttp;
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    public URI validate(String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw ApiException.invalidRequest("url is required (at most 2048 characters)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalidRequest("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw ApiException.invalidRequest("url must use https");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw ApiException.invalidRequest("url must name a host and carry no credentials");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw ApiException.invalidRequest("url's port must be between 1 and 65535");
        }
        if (NUMERIC_HOST.matcher(uri.getHost()).matches() && !CANONICAL_IPV4.matcher(uri.getHost()).matches()) {
            // 0177.0.0.1 is 127.0.0.1 to many resolvers and 177.0.0.1 to Java; 2130706433 is 127.0.0.1 to both
            throw ApiException.invalidRequest("url's IPv4 address must be four decimal numbers without leading zeros");
        }
        requirePublic(uri.getHost());
        return uri;
    }

    private void requirePublic(String host) {
        if (allowPrivateAddresses) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw ApiException.invalidRequest("url's host does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw ApiException.invalidRequest("url points at a loopback, private or link-local address");
            }
        }
    }

    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc // fc00::/7 unique local
                    || (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0 && b[5] == 1) // 64:ff9b:1::/48 local NAT64
                    || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) // 2001::/32 Teredo: a tunnel to an IPv4 address
                    || (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) // 2001:db8::/32 documentation
                    || embeddedIpv4IsInternal(b);
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        return first == 0 // 0.0.0.0/8 "this network"
                || (first == 100 && (second & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
                || (first == 192 && second == 0 && third == 0) // 192.0.0.0/24 protocol assignments
                || (first == 192 && second == 0 && third == 2) // 192.0.2.0/24 documentation (TEST-NET-1)
                || (first == 198 && second == 51 && third == 100) // 198.51.100.0/24 documentation (TEST-NET-2)
                || (first == 203 && second == 0 && third == 113) // 203.0.113.0/24 documentation (TEST-NET-3)
                || (first == 198 && (second & 0xfe) == 18) // 198.18.0.0/15 benchmarking
                || first >= 240; // 240.0.0.0/4 reserved, and the broadcast address
    }

    /**
     * IPv6 forms a gateway turns into an IPv4 address: IPv4-compatible {@code ::a.b.c.d},
     * IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} and 6to4
     * {@code 2002:aabb:ccdd::} (Teredo, {@code 2001::/32}, is refused as a whole). (IPv4-mapped {@code ::ffff:a.b.c.d}
     * is already an IPv4 address to Java.)
     */
    private static boolean embeddedIpv4IsInternal(byte[] b) {
        int from;
        if (zeros(b, 0, 12)) {
            from = 12;
        } else if (zeros(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            from = 12; // ::ffff:0:a.b.c.d, IPv4-translated (RFC 2765)
        } else if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zeros(b, 4, 12)) {
            from = 12;
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            from = 2;
        } else {
            return false;
        }
        try {
            return isInternal(InetAddress.getByAddress(Arrays.copyOfRange(b, from, from + 4)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
