package org.dtlab.launcher.chaos;

import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * H2's files as they behave on a directory made read-only, switched on and off from outside the
 * process: a file system for H2 URLs {@code jdbc:h2:readonly-switch:<path>}. While the file {@code
 * <switch>} exists, writes to H2's open files fail ({@code Read-only file system}), files cannot be
 * opened for writing or created, and none is writable; otherwise it is the disk.
 *
 * <p>Why not {@code chmod}: the tests run as root, which permissions do not stop, and a {@code
 * chmod} does not affect files H2 has open already — H2 would notice nothing until it creates a
 * file. A read-only remount or an immutable flag needs privileges and file systems CI does not
 * have. This injects the fault where H2 meets the operating system, with the errors the operating
 * system gives, for root as for anyone.
 */
public final class ReadOnlySwitchFileSystem extends FilePathWrapper {

    /** The scheme of the H2 URLs that use this file system. */
    public static final String SCHEME = "readonly-switch";

    /** The system property naming the switch file (required). */
    public static final String SWITCH_PROPERTY = "dtlab.test.readonly-switch";

    private static volatile Path switchFile;

    /** Registers the file system with H2, switched by the file that the system property names. */
    public static void register() {
        String file = System.getProperty(SWITCH_PROPERTY);
        if (file == null) {
            throw new IllegalStateException("-D" + SWITCH_PROPERTY + " is required");
        }
        switchFile = Path.of(file);
        FilePath.register(new ReadOnlySwitchFileSystem());
    }

    static boolean readOnly() {
        return Files.exists(switchFile);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean canWrite() {
        return !readOnly() && super.canWrite();
    }

    @Override
    public boolean createFile() {
        return !readOnly() && super.createFile();
    }

    @Override
    public void createDirectory() {
        if (readOnly()) {
            // as H2's disk file system reports it
            throw DbException.get(ErrorCode.FILE_CREATION_FAILED_1, name + " (read-only)");
        }
        super.createDirectory();
    }

    @Override
    public void delete() {
        if (readOnly()) {
            throw DbException.get(ErrorCode.FILE_DELETE_FAILED_1, name + " (read-only)");
        }
        super.delete();
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        if (readOnly()) {
            throw new AccessDeniedException(name);
        }
        return super.newOutputStream(append);
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (readOnly() && !mode.equals("r")) {
            throw new AccessDeniedException(name);
        }
        return new Channel(super.open(mode));
    }

    /** An open file whose writes fail while the switch is on. */
    private static final class Channel extends FileBase {

        private final FileChannel file;

        Channel(FileChannel file) {
            this.file = file;
        }

        private static void checkWritable() throws IOException {
            if (readOnly()) {
                throw new IOException("Read-only file system");
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkWritable();
            return file.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            checkWritable();
            return file.write(src, position);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            checkWritable();
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            checkWritable();
            file.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long position) throws IOException {
            file.position(position);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public synchronized FileLock tryLock(long position, long size, boolean shared)
                throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
