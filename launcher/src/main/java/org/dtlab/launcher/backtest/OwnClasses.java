package org.dtlab.launcher.backtest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The launcher's own classes as a jar, for a back-test on a cluster: its output formats and event
 * selection run in the TaskManagers, which have only the job jar besides. That is the launcher jar
 * {@code bin/dtlab} runs from or — run from a classes directory (the tests, an IDE) — a jar of that
 * directory, made once per process.
 */
final class OwnClasses {

    private static Path made;

    private OwnClasses() {}

    static synchronized Path jar() throws IOException {
        Path code;
        try {
            code =
                    Path.of(
                            OwnClasses.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the launcher's classes", e);
        }
        if (Files.isRegularFile(code)) {
            return code;
        }
        if (made == null) {
            Path jar = Files.createTempFile("dtlab-launcher-", ".jar");
            jar.toFile().deleteOnExit();
            write(code, jar);
            made = jar;
        }
        return made;
    }

    private static void write(Path classes, Path jar) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            for (Path f : files) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
