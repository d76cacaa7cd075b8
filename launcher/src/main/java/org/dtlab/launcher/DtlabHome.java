package org.dtlab.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The DT Lab checkout this launcher runs from: {@code bin/dtlab} passes it as {@code -Ddtlab.home};
 * otherwise it is found from the launcher's own location ({@code launcher/target/classes} or the
 * launcher jar in {@code launcher/target/}).
 */
public final class DtlabHome {

    public static final String PROPERTY = "dtlab.home";

    private DtlabHome() {}

    public static Path locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path code =
                    Path.of(
                            DtlabHome.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("bin/dtlab"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** The shaded job jar that {@code mvn package} builds: what a cluster runs. */
    public static Path jobJar(Path home) {
        return home.resolve("job/target/dtlab-job-0.1.0-SNAPSHOT-all.jar");
    }
}
