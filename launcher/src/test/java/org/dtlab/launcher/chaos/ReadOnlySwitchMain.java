package org.dtlab.launcher.chaos;

import org.dtlab.launcher.DtlabMain;

/**
 * {@code dtlab} with {@link ReadOnlySwitchFileSystem} registered in H2: what {@link LocalProcess}
 * runs for a test that makes H2's directory read-only.
 */
public final class ReadOnlySwitchMain {

    private ReadOnlySwitchMain() {}

    public static void main(String[] args) throws Exception {
        ReadOnlySwitchFileSystem.register();
        DtlabMain.main(args);
    }
}
