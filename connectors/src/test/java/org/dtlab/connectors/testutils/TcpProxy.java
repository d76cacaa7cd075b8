package org.dtlab.connectors.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free local port in front of a real server, that a test can cut ({@link #refuse}:
 * every connection dropped, as when the server stops) or hang ({@link #stall}: connections
 * accepted, but nothing passes either way, as behind a dead network or in front of a frozen
 * server), then {@link #restore}: what was held back passes then.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARD,
        REFUSE,
        STALL
    }

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Object modeChange = new Object();
    private volatile Mode mode = Mode.FORWARD;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon(this::acceptLoop, "proxy-accept");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection, and each new one at once. */
    public void refuse() {
        setMode(Mode.REFUSE);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Lets nothing through, in either direction, without closing anything. */
    public void stall() {
        setMode(Mode.STALL);
    }

    public void restore() {
        setMode(Mode.FORWARD);
    }

    private void setMode(Mode next) {
        synchronized (modeChange) {
            mode = next;
            modeChange.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode == Mode.REFUSE) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                daemon(() -> connect(client), "proxy-connect");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitPassage();
            Socket upstream = new Socket(targetHost, targetPort);
            open.add(upstream);
            daemon(() -> pump(client, upstream), "proxy-up");
            daemon(() -> pump(upstream, client), "proxy-down");
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitPassage();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Returns once bytes may pass; throws if the proxy refuses meanwhile. */
    private void awaitPassage() throws IOException, InterruptedException {
        synchronized (modeChange) {
            while (mode == Mode.STALL) {
                modeChange.wait();
            }
        }
        if (mode == Mode.REFUSE) {
            throw new IOException("refused");
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        refuse();
    }
}
