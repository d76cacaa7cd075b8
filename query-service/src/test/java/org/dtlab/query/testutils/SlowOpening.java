package org.dtlab.query.testutils;

import org.h2.api.DatabaseEventListener;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An H2 database event listener (URL setting {@code DATABASE_EVENT_LISTENER}) that makes opening a
 * connection wait while {@link #hold()} is in force, as a database that takes long to open does
 * (its recovery, a slow disk, one being closed): H2 calls {@link #init} on the thread opening the
 * connection — while it opens the database file, holding off every other connection to it.
 */
public final class SlowOpening implements DatabaseEventListener {

    private static volatile CountDownLatch gate = new CountDownLatch(0);

    /** Every connection opened from now on waits until {@link #release()} (5 minutes at most). */
    public static void hold() {
        gate = new CountDownLatch(1);
    }

    public static void release() {
        gate.countDown();
    }

    /** The URL setting that installs this listener. */
    public static String urlSetting() {
        return ";DATABASE_EVENT_LISTENER='" + SlowOpening.class.getName() + "'";
    }

    @Override
    public void init(String url) {
        try {
            gate.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
