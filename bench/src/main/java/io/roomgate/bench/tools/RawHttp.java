package io.roomgate.bench.tools;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A lean blocking HTTP/1.1 client on one keep-alive connection to 127.0.0.1, for one load thread:
 * the load generator shares the machine's two cores with roomgate, and the JDK's HttpClient spent
 * several times more CPU per request (its selector thread and asynchronous stages) than this.
 * Reads Content-Length and chunked bodies; reconnects when the server closes the connection.
 */
final class RawHttp implements AutoCloseable {

    /** A response: its status and body. */
    record Reply(int status, String body) {
    }

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttp(int port) {
        this.port = port;
    }

    Reply send(String method, String path, String key, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Authorization: Bearer ").append(key).append("\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("\r\n");
        byte[] request = head.toString().getBytes(StandardCharsets.US_ASCII);
        boolean reused = socket != null;
        try {
            return exchange(request, content);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw new IllegalStateException(method + " " + path + ": " + e, e);
            }
        }
        try {
            return exchange(request, content); // the server had closed the kept-alive connection
        } catch (IOException e) {
            close();
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    private Reply exchange(byte[] request, byte[] content) throws IOException {
        if (socket == null) {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = socket.getOutputStream();
        }
        byte[] all = new byte[request.length + content.length];
        System.arraycopy(request, 0, all, 0, request.length);
        System.arraycopy(content, 0, all, request.length, content.length);
        out.write(all);
        out.flush();
        String status = line();
        if (status.isEmpty()) {
            throw new EOFException("no response");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            body.write(in.readNBytes(length));
        }
        if (closeAfter) {
            close();
        }
        return new Reply(code, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (s.length() == 0) {
                    return "";
                }
                throw new EOFException("connection closed mid-line");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
