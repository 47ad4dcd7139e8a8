package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, row 8: a {@code Transfer-Encoding} Tomcat does not know ({@code identity},
 * {@code xchunked}, ...) was answered 501 {@code server-error}: a server error for the client's
 * mistake. Now it is a 400 {@code invalid-request-error} in Daily's shape, and nothing is appended.
 */
@RoomgateTest
class OddTransferEncodingIT extends WithEmbeddedApp {

    @ParameterizedTest
    @ValueSource(strings = {"identity", "xchunked", "gzip", "chunked, identity"})
    void an_unknown_transfer_encoding_is_a_400_in_dailys_shape(String encoding) throws Exception {
        long before = api.eventCount();
        String body = "{\"name\":\"" + Api.uniqueName("te") + "\"}";
        String answer;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /v1/rooms HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Api.ADMIN
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: " + encoding + "\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer = readAll(s.getInputStream());
        }
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("\"error\":\"invalid-request-error\"");
        assertThat(api.eventCount()).isEqualTo(before);
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
