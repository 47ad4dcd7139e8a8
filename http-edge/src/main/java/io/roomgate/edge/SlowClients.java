package io.roomgate.edge;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Tomcat valve that keeps one slow client from taking the service (issue 16, row 2: ~210
 * connections with no key that declared a 50,000-byte body and sent a byte every few seconds held
 * every worker thread, because Tomcat read, "swallowed", each unread body to its end after the
 * 400, however slowly it came).
 * <ul>
 * <li>At most {@code maxPerAddress} requests of one client address are in progress at once (a
 * request that went asynchronous, a live feed, no longer counts); past that, a 429
 * {@code rate-limit-error} at once, and the connection is closed.</li>
 * <li>A body left unread after the answer is read here for at most {@code unreadBodyTimeout}
 * (and {@code maxUnreadBytes}), so a client that sent it promptly reads its answer on a clean
 * connection; what is still unread then is abandoned: Tomcat neither swallows it nor keeps the
 * connection.</li>
 * </ul>
 * A single read waits at most the socket timeout ({@code server.tomcat.connection-timeout}), so a
 * worker is held at most that plus the bound, and one address holds at most {@code maxPerAddress}
 * workers. Behind a proxy, the client address is the forwarded one (docker/compose.yaml).
 */
public final class SlowClients extends ValveBase {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlowClients.class);

    private final int maxPerAddress;
    private final long unreadBodyNanos;
    private final long maxUnreadBytes;
    private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

    public SlowClients(int maxPerAddress, Duration unreadBodyTimeout, long maxUnreadBytes) {
        super(true);
        this.maxPerAddress = maxPerAddress;
        this.unreadBodyNanos = unreadBodyTimeout.toNanos();
        this.maxUnreadBytes = maxUnreadBytes;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String address = String.valueOf(request.getRemoteAddr());
        boolean admitted = inProgress.merge(address, 1, Integer::sum) <= maxPerAddress;
        try {
            if (!admitted) {
                refuse(request, response);
                return;
            }
            getNext().invoke(request, response);
            if (!request.isAsyncStarted()) {
                finishBody(request, response);
            }
        } finally {
            inProgress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Requests of this address in progress now (for tests). */
    public int inProgress(String address) {
        return inProgress.getOrDefault(address, 0);
    }

    private static void refuse(Request request, Response response) throws IOException {
        abandonBody(request, response);
        response.setStatus(429);
        response.setHeader("Retry-After", "1");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.getOutputStream().write(("{\"error\":\"rate-limit-error\",\"info\":\"too many requests from this address are in "
                + "progress at once; retry after 1 s\"}").getBytes(StandardCharsets.UTF_8));
    }

    private void finishBody(Request request, Response response) {
        if (request.getContentLengthLong() == 0) {
            return;
        }
        // at the protocol's level: the servlet stream may be closed already (Jackson closes it)
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        try {
            if (coyote.isFinished()) {
                return;
            }
            if (request.getContentLengthLong() <= maxUnreadBytes) {
                long deadline = System.nanoTime() + unreadBodyNanos;
                Discard discard = new Discard();
                long read = 0;
                while (!coyote.isFinished() && read <= maxUnreadBytes && System.nanoTime() - deadline < 0) {
                    int n = coyote.doRead(discard);
                    if (n < 0) {
                        return;
                    }
                    read += n;
                }
                if (coyote.isFinished()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // gone, or cut off: abandoned below
            log.debug("unread body: {}", unreadable.toString());
        }
        abandonBody(request, response);
    }

    /** Takes what the protocol read and throws it away. */
    private static final class Discard implements org.apache.tomcat.util.net.ApplicationBufferHandler {
        private java.nio.ByteBuffer buffer = EMPTY_BUFFER;

        @Override
        public void setByteBuffer(java.nio.ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public java.nio.ByteBuffer getByteBuffer() {
            return buffer;
        }

        @Override
        public void expand(int size) {
            // nothing is kept
        }
    }

    /**
     * Tomcat neither reads the rest of the body nor keeps the connection; the answer says so
     * ({@code Connection: close}), so that a client never sends its next request on it.
     */
    private static void abandonBody(Request request, Response response) {
        if (log.isDebugEnabled()) {
            log.debug("abandoning the unread body of {} (answer {}, committed: {})", request.getMethod(), response.getStatus(),
                    response.isCommitted());
        }
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }
}
