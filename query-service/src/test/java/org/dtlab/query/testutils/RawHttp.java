package org.dtlab.query.testutils;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A GET over a raw socket, for request lines that HTTP clients refuse to send (bad escapes). */
public final class RawHttp {

    /** The status and body of an answer. */
    public record Answer(int status, String body) {}

    private RawHttp() {}

    public static Answer get(int port, String rawPath) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? response : response.substring(bodyStart + 4));
        }
    }
}
