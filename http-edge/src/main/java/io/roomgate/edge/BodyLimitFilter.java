package io.roomgate.edge;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses request bodies over the limit with a 400 before anything reads them, whether the size
 * is declared or the body is streamed; and a body that trickles in (a byte every few seconds, each
 * read inside the socket's timeout) with a 408 once it has taken longer than the body timeout from
 * its first read (issue 16, row 2), so one slow client holds a worker thread for a bounded time.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    private final int maxBytes;
    private final long timeoutNanos;

    public BodyLimitFilter(int maxBytes) {
        this(maxBytes, java.time.Duration.ofSeconds(10));
    }

    public BodyLimitFilter(int maxBytes, java.time.Duration bodyTimeout) {
        this.maxBytes = maxBytes;
        this.timeoutNanos = bodyTimeout.toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            ErrorWriter.write(response, tooLarge());
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    private ApiException tooLarge() {
        return ApiException.invalidRequest("request body exceeds " + maxBytes + " bytes");
    }

    private final class Limited extends HttpServletRequestWrapper {
        private final int max;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, int max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;
                    private long deadline;
                    private boolean started;

                    @Override
                    public int read() throws IOException {
                        start();
                        int b = in.read();
                        if (b >= 0) count(1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        start();
                        int n = in.read(buf, off, len);
                        if (n > 0) count(n);
                        return n;
                    }

                    private void start() {
                        if (!started) {
                            started = true;
                            deadline = System.nanoTime() + timeoutNanos;
                        } else if (System.nanoTime() - deadline > 0 && !in.isFinished()) {
                            throw new ApiException(408, "invalid-request-error", "the request body did not arrive within "
                                    + java.time.Duration.ofNanos(timeoutNanos).toSeconds() + " s");
                        }
                    }

                    private void count(int n) {
                        read += n;
                        if (read > max) {
                            throw tooLarge();
                        }
                    }

                    @Override
                    public boolean isFinished() { return in.isFinished(); }

                    @Override
                    public boolean isReady() { return in.isReady(); }

                    @Override
                    public void setReadListener(ReadListener listener) { in.setReadListener(listener); }
                };
            }
            return stream;
        }
    }
}
