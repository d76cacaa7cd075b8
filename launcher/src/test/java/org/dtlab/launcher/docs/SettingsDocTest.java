package org.dtlab.launcher.docs;

import org.dtlab.job.config.TwinJobSettings;
import org.dtlab.model.config.Setting;
import org.dtlab.query.config.QueryServiceSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/settings.md is the rendering of the settings' declarations, and nothing else. */
class SettingsDocTest {

    private static final Path PAGE = Path.of("../docs/settings.md");

    @Test
    void theSettingsPageIsGeneratedFromTheDeclarations() throws Exception {
        String rendered = SettingsDoc.render();
        if (Boolean.getBoolean("dtlab.docs.regenerate")) {
            Files.writeString(PAGE, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(PAGE))
                .as("docs/settings.md is missing; write it with: %s", SettingsDoc.REGENERATE)
                .isTrue();
        assertThat(Files.readString(PAGE, StandardCharsets.UTF_8))
                .as(
                        "docs/settings.md differs from the settings' declarations; regenerate it"
                                + " with: %s",
                        SettingsDoc.REGENERATE)
                .isEqualTo(rendered);
    }

    @Test
    void aKeyTheJobAndTheQueryServiceShareHasOneTypeAndOneEnvironmentVariable() {
        Map<String, Setting<?>> job = new HashMap<>();
        TwinJobSettings.ALL.forEach(s -> job.put(s.key(), s));
        for (Setting<?> service : QueryServiceSettings.ALL) {
            Setting<?> same = job.get(service.key());
            if (same != null) {
                assertThat(same.type()).as(service.key()).isEqualTo(service.type());
                assertThat(same.hasFileVariant())
                        .as(service.key())
                        .isEqualTo(service.hasFileVariant());
                assertThat(same.deprecatedKeys())
                        .as(service.key())
                        .isEqualTo(service.deprecatedKeys());
            }
        }
        for (List<Setting<?>> settings : List.of(TwinJobSettings.ALL, QueryServiceSettings.ALL)) {
            assertThat(settings.stream().map(Setting::environmentVariable))
                    .as("one variable per setting")
                    .doesNotHaveDuplicates();
        }
    }
}
