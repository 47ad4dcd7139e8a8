package io.roomgate.app.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver on loopback that accepts connections and never finishes an answer: it reads the
 * request and then says nothing, or (given the start of an answer) says that much and no more.
 */
final class SilentListener implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    SilentListener(String startOfAnswer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.add(s);
                    Thread talker = new Thread(() -> answerPartly(s, startOfAnswer), "silent-listener-connection");
                    talker.setDaemon(true);
                    talker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void answerPartly(Socket s, String startOfAnswer) {
        try {
            InputStream in = s.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) { // the request's headers
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            if (startOfAnswer != null) {
                s.getOutputStream().write(startOfAnswer.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        } catch (IOException closed) {
            // the client gave up
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    int connections() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
