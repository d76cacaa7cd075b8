package org.dtlab.query.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends the headers and a part of a body, then goes quiet — as a slow or hostile
 * client does — over a raw socket.
 */
public final class StalledRequest implements AutoCloseable {

    private final Socket socket;

    private StalledRequest(Socket socket) {
        this.socket = socket;
    }

    /** Declares {@code declaredLength} bytes of body and sends {@code sent} of them. */
    public static StalledRequest open(int port, String path, int declaredLength, String sent)
            throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(
                ("POST "
                                + path
                                + " HTTP/1.1\r\n"
                                + "Host: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\n"
                                + "Content-Length: "
                                + declaredLength
                                + "\r\n\r\n"
                                + sent)
                        .getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new StalledRequest(socket);
    }

    /** Whether the server has closed the connection (without waiting more than a moment). */
    public boolean isClosedByServer() {
        try {
            socket.setSoTimeout(50);
            InputStream in = socket.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
                // An answer (there should be none before the close) is read past.
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
