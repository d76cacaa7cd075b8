package org.dtlab.launcher.local;

import org.dtlab.launcher.StartupException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code dtlab local} per data directory: two would share a Kafka log directory, a database
 * file and checkpoints. The OS releases the lock when the process dies, even on kill -9.
 */
final class DataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDir) throws StartupException, IOException {
        FileChannel channel =
                FileChannel.open(
                        dataDir.resolve(".dtlab.lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new StartupException(
                    "the data directory "
                            + dataDir
                            + " is in use by another dtlab local:"
                            + " stop that one, or pass another --data-dir");
        }
        return new DataDirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
