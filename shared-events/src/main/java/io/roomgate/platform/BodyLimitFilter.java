package io.roomgate.platform;

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
 * is declared or the body is streamed.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    private final int maxBytes;

    public BodyLimitFilter(int maxBytes) {
        this.maxBytes = maxBytes;
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

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) count(1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) count(n);
                        return n;
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
