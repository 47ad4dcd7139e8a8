package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, row 3: Tomcat logged the first request it could not parse at INFO with the raw
 * request target or header, so a meeting token (in {@code GET /v1/meeting-tokens/{token}}) or
 * an API key with a bad character after it reached the log. Such requests are answered 400 and
 * nothing of them is logged. (Tomcat logs only the first parse error of a JVM at INFO; whichever
 * test class comes first, this one checks its own requests never reach the output.)
 */
@RoomgateTest
@ExtendWith(OutputCaptureExtension.class)
class ParseErrorLoggingIT extends WithEmbeddedApp {

    @Test
    void a_request_tomcat_cannot_parse_leaves_neither_its_token_nor_its_key_in_the_log(CapturedOutput output) throws Exception {
        String room = Api.uniqueName("parse");
        assertThat(api.createRoom("{\"name\":\"" + room + "\"}").status()).isEqualTo(200);
        String token = api.token("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        String target = "GET /v1/meeting-tokens/" + token + "\u0001x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Api.ADMIN + "\r\nConnection: close\r\n\r\n";
        String header = "GET /v1/rooms HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Api.ADMIN
                + "\u0000\r\nConnection: close\r\n\r\n";
        for (String request : new String[]{target, header}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 400");
            }
        }
        Thread.sleep(200); // the connector logs on its own thread
        assertThat(output.getAll()).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1))
                .doesNotContain(Api.ADMIN);
    }
}
