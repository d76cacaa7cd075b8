package org.dtlab.model.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A source of texts, each parsed by its setting; a file variant beats the plain value. */
abstract class TextSource implements SettingSource {

    /** The text given for the setting or (with {@code file}) its file variant, or null. */
    abstract String text(Setting<?> setting, boolean file);

    /** How an error names the setting or its file variant. */
    abstract String where(Setting<?> setting, boolean file);

    @Override
    public final <T> Optional<T> value(Setting<T> setting) {
        if (setting.hasFileVariant()) {
            String file = text(setting, true);
            if (file != null && !file.isBlank()) {
                String where = where(setting, true);
                String content;
                try {
                    content =
                            Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "cannot read " + where + " " + file + ": " + e);
                }
                return Optional.of(setting.parse(content, where));
            }
        }
        String text = text(setting, false);
        return text == null || text.isBlank()
                ? Optional.empty()
                : Optional.of(setting.parse(text, where(setting, false)));
    }
}
