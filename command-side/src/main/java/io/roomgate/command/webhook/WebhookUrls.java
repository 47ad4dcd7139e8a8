package io.roomgate.command.webhook;

import io.roomgate.platform.ApiException;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Which URLs a webhook may call: https only, and never an address inside the operator's network
 * (loopback, private, link-local, unique-local), so a webhook cannot be aimed at internal
 * services. Both can be relaxed for development and tests. Checked when a webhook is saved and
 * again before every delivery, so DNS cannot be rebound to an internal address later.
 */
public class WebhookUrls {

    private final boolean allowHttp;
    private final boolean allowPrivateAddresses;

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
        if (a instanceof Inet6Address) {
            return (a.getAddress()[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10 carrier-grade NAT
    }
}
