package org.dtlab.launcher.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dtlab local} warns when its API is open to other machines and asks no one for a token. */
class ExposureWarningTest {

    @Test
    void warnsOnlyBeyondLoopbackWithoutTokens() {
        assertThat(LocalStack.exposureWarning("0.0.0.0", true))
                .contains("without authentication")
                .contains("--auth.tokens");
        assertThat(LocalStack.exposureWarning("::", true)).isNotNull();
        assertThat(LocalStack.exposureWarning("0.0.0.0", false)).isNull();
        assertThat(LocalStack.exposureWarning("127.0.0.1", true)).isNull();
        assertThat(LocalStack.exposureWarning("localhost", true)).isNull();
        assertThat(LocalStack.exposureWarning("::1", true)).isNull();
    }
}
