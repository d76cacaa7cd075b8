package org.dtlab.launcher.docs;

import org.dtlab.job.config.TwinJobSettings;
import org.dtlab.launcher.local.LocalSettings;
import org.dtlab.model.config.Setting;
import org.dtlab.query.config.QueryServiceSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders every setting's declaration — the twin job's, the query service's and {@code dtlab
 * local}'s — as the Markdown page docs/settings.md. {@code SettingsDocTest} fails when the page and
 * the declarations differ, and writes the page when asked to.
 */
public final class SettingsDoc {

    /** The command that writes docs/settings.md from the declarations. */
    public static final String REGENERATE =
            "mvn -B -pl launcher -am test -Dtest=SettingsDocTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Ddtlab.docs.regenerate=true";

    private SettingsDoc() {}

    /** Writes the page to the path given (default: docs/settings.md). */
    public static void main(String[] args) throws IOException {
        Path page = Path.of(args.length > 0 ? args[0] : "docs/settings.md");
        Files.writeString(page, render(), StandardCharsets.UTF_8);
    }

    /** The whole page. */
    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("<!-- Generated from the settings' declarations by ")
                .append(SettingsDoc.class.getName())
                .append(": do not edit.\n     Regenerate with: ")
                .append(REGENERATE)
                .append(" -->\n\n");
        md.append(
                """
                # Settings

                Every setting of the twin job, the query service and `dtlab local`, generated from \
                its declaration (`TwinJobSettings`, `QueryServiceSettings`, `ConnectionSettings`, \
                `LocalSettings`); a test fails when this page and the declarations differ.

                A setting has one key, spelled three ways:

                * a program argument: `--` and the key, then the value (`--kafka.bootstrap \
                127.0.0.1:9092`);
                * an environment variable: `DTLAB_` and the key in upper case, dots and dashes as \
                underscores (`DTLAB_KAFKA_BOOTSTRAP`);
                * for the twin job, a key of its Flink configuration: `dtlab.` and the key \
                (`dtlab.kafka.bootstrap` in `config.yaml`, `flink run -Ddtlab.kafka.bootstrap=…`, \
                a `FlinkDeployment`'s `flinkConfiguration`).

                A program argument beats the environment, which beats the Flink configuration, \
                which beats the default. A required setting that is missing, a value that is not \
                one or an unknown argument stops the program with a message naming the setting. \
                *Secret* settings are best given through the environment or a file (a mounted \
                secret): the `-file` variant reads the value from the file \
                (`--jdbc.password-file /run/secrets/db`), and within one source it beats the \
                plain value.

                ## Twin job

                `flink run dtlab-job-….jar --kafka.bootstrap … --jdbc.url … --jdbc.user …` \
                (`org.dtlab.job.TwinJob`; `dtlab cluster submit -- …` passes the same arguments).

                """);
        table(md, TwinJobSettings.ALL);
        md.append(
                """

                ## Query service

                `java -jar dtlab-query-service-….jar --kafka.bootstrap … --jdbc.url …` \
                (`org.dtlab.query.QueryServiceMain`).

                """);
        table(md, QueryServiceSettings.ALL);
        md.append(
                """

                ## dtlab local

                `bin/dtlab local` runs the query service and the twin job in one process. It takes \
                every setting of both, as an option or from the environment, with other defaults \
                for these:

                | Setting | Default in `dtlab local` |
                |---|---|
                """);
        for (Map.Entry<Setting<?>, String> embedded : LocalSettings.EMBEDDED.entrySet()) {
            row(md, "`" + embedded.getKey().flag() + "`", text(embedded.getValue()));
        }
        for (Map.Entry<Setting<?>, Object> changed : LocalSettings.CHANGED_DEFAULTS.entrySet()) {
            row(md, "`" + changed.getKey().flag() + "`", "`" + changed.getValue() + "`");
        }
        md.append("\nand these settings of its own:\n\n");
        table(md, LocalSettings.OWN);
        return md.toString();
    }

    private static void table(StringBuilder md, List<Setting<?>> settings) {
        md.append("| Setting | Environment variable | Default | |\n|---|---|---|---|\n");
        for (Setting<?> setting : settings) {
            String flags = "`" + setting.flag() + "`";
            String variables = "`" + setting.environmentVariable() + "`";
            if (setting.hasFileVariant()) {
                flags += "<br>`--" + setting.fileKey() + "`";
                variables += "<br>`" + setting.environmentVariable() + "_FILE`";
            }
            row(md, flags, variables, defaultText(setting), description(setting));
        }
    }

    /** A default value as code; a description of the default ({@code required}) as text. */
    private static String defaultText(Setting<?> setting) {
        String text = setting.defaultText();
        return setting.hasDefaultValue() && text.equals(setting.defaultValue().toString())
                ? "`" + text + "`"
                : text(text);
    }

    private static String description(Setting<?> setting) {
        StringBuilder text = new StringBuilder(text(setting.description()));
        if (setting.type() == Integer.class) {
            String range = setting.rangeText();
            text.append(" *Whole number").append(range.isEmpty() ? "" : ", " + range).append(".*");
        }
        if (setting.isSecret()) {
            text.append(" *Secret.*");
        }
        return text.toString();
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    /** Plain text as Markdown table text: nothing read as HTML or as a cell border. */
    private static String text(String plain) {
        return plain.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("|", "\\|");
    }
}
