package org.dtlab.model.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.dtlab.model.ValidationException;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    private final ObjectMapper json = Json.mapper();

    @Test
    void datetimesAreReadAsAnyIsoInstantAndWrittenInUtcWithMilliseconds() {
        assertThat(DateTimes.parse("2020-09-13T17:31:21.671+02:00"))
                .isEqualTo(Instant.parse("2020-09-13T15:31:21.671Z"));
        assertThat(DateTimes.parse("2020-09-13T15:31:21Z"))
                .isEqualTo(Instant.parse("2020-09-13T15:31:21Z"));
        assertThat(DateTimes.parse("2020-09-13T15:31:21.5Z"))
                .isEqualTo(Instant.parse("2020-09-13T15:31:21.500Z"));
        assertThat(DateTimes.parse("2020-09-13T15:31:21.123456Z"))
                .isEqualTo(Instant.parse("2020-09-13T15:31:21.123Z"));
        assertThat(DateTimes.format(Instant.parse("2020-09-13T15:31:21Z")))
                .isEqualTo("2020-09-13T15:31:21.000Z");
        assertThatThrownBy(() -> DateTimes.parse("2020-09-13 15:31"))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void aTypeReadsTheOriginalsBodyAndOmitsEmptyListsWhenWritten() throws Exception {
        TwinType type =
                json.readValue(
                        "{\"name\":\"object\",\"props\":[\"a\",\"b\"],\"unknown\":1,\"created\":\"2020-11-15T14:56:51.739Z\"}",
                        TwinType.class);

        assertThat(type.props()).containsExactly("a", "b");
        assertThat(json.writeValueAsString(type))
                .isEqualTo(
                        "{\"name\":\"object\",\"props\":[\"a\",\"b\"],\"created\":\"2020-11-15T14:56:51.739Z\"}");
    }

    @Test
    void aStateIsWrittenAsTheRecordsFieldsInOrderWithDoublesAsJavaWritesThem() throws Exception {
        Instant t = Instant.parse("2020-09-13T15:31:21.671Z");
        List<Telemetry> state =
                List.of(
                        new Telemetry(0, 5.5, t),
                        new Telemetry(3, 1e-7, t),
                        new Telemetry(2147483647, -0.0, t),
                        new Telemetry(1, 12345678912345.0, t));
        ObjectMapper plain =
                new ObjectMapper()
                        .registerModule(
                                new SimpleModule()
                                        .addSerializer(
                                                Instant.class,
                                                new com.fasterxml.jackson.databind.ser.std
                                                        .ToStringSerializerBase(Instant.class) {
                                                    @Override
                                                    public String valueToString(Object value) {
                                                        return DateTimes.format((Instant) value);
                                                    }
                                                }));

        List<Map<String, Object>> fields = new ArrayList<>();
        for (Telemetry telemetry : state) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("idx", telemetry.idx());
            field.put("value", telemetry.value());
            field.put("datetime", telemetry.datetime());
            fields.add(field);
        }

        String written = json.writeValueAsString(state);

        assertThat(written)
                .isEqualTo(plain.writeValueAsString(fields))
                .startsWith(
                        "[{\"idx\":0,\"value\":5.5,\"datetime\":\"2020-09-13T15:31:21.671Z\"},{\"idx\":3,\"value\":1.0E-7,");
        assertThat(
                        json.readValue(
                                written,
                                new com.fasterxml.jackson.core.type.TypeReference<
                                        List<Telemetry>>() {}))
                .isEqualTo(state);
    }

    @Test
    void telemetryMessagesRoundTripAndDefaultToTelemetry() throws Exception {
        TwinMessage message =
                json.readValue(
                        "{\"path\":\"machinery/m1\",\"idx\":0,\"value\":5.5,\"datetime\":\"2020-09-13T15:31:21.671Z\"}",
                        TwinMessage.class);

        assertThat(message.command()).isEqualTo(TwinMessage.Command.TELEMETRY);
        assertThat(json.readValue(json.writeValueAsString(message), TwinMessage.class))
                .isEqualTo(message);
    }

    @Test
    void garbageTelemetryIsRefusedWithAReason() {
        assertThatThrownBy(
                        () ->
                                json.readValue(
                                        "{\"path\":\"m/1\",\"idx\":0,\"value\":\"high\"}",
                                        TwinMessage.class))
                .hasMessageContaining("value");
        assertThatThrownBy(
                        () ->
                                json.readValue(
                                        "{\"path\":\"m/1\",\"idx\":0,\"name\":\"h\",\"value\":1}",
                                        TwinMessage.class))
                .hasMessageContaining("exactly one of idx and name");
        assertThatThrownBy(() -> json.readValue("{\"path\":\"m/1\",\"idx\":0}", TwinMessage.class))
                .hasMessageContaining("finite number");
        assertThatThrownBy(
                        () ->
                                json.readValue(
                                        "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":\"yesterday\"}",
                                        TwinMessage.class))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void aStatesTelemetryWithoutADatetimeIsRefused() {
        assertThatThrownBy(() -> json.readValue("{\"idx\":0,\"value\":1}", Telemetry.class))
                .hasMessageContaining("a telemetry needs a datetime");
    }

    @Test
    void controlMessagesRoundTripWithTheirKey() throws Exception {
        OperatorSpec count =
                new OperatorSpec("count", "count", List.of(1.5), List.of(0), List.of(1), null);
        ControlMessage message =
                ControlMessage.createType(
                        "id-1",
                        Instant.parse("2026-11-28T10:00:00Z"),
                        new TwinType(
                                "machinery", List.of("h", "c"), List.of(), List.of(count), null));

        String text = json.writeValueAsString(message);
        ControlMessage read = json.readValue(text, ControlMessage.class);

        assertThat(read).isEqualTo(message);
        assertThat(read.key()).isEqualTo("type/machinery");
        assertThat(text)
                .contains("\"action\":\"create\"", "\"kind\":\"type\"", "\"v\":1")
                .doesNotContain("key");
    }

    @Test
    void aNewerControlFormatIsRefusedRatherThanGuessedAt() {
        assertThatThrownBy(
                        () ->
                                json.readValue(
                                        "{\"v\":2,\"id\":\"x\",\"action\":\"delete\",\"kind\":\"type\",\"name\":\"a\",\"issued\":\"2026-11-28T10:00:00Z\"}",
                                        ControlMessage.class))
                .hasMessageContaining("unsupported control message format v=2");
    }

    /**
     * The text {@code null} is no control message (the mapper reads it as none, and applying none
     * threw in the job on every replay of the record), and neither is text after one.
     */
    @Test
    void aControlRecordIsOneJsonObject() throws Exception {
        String delete =
                "{\"v\":1,\"id\":\"x\",\"action\":\"delete\",\"kind\":\"type\",\"name\":\"a\",\"issued\":\"2026-11-28T10:00:00Z\"}";

        assertThat(ControlMessage.read(delete).key()).isEqualTo("type/a");
        assertThatThrownBy(() -> ControlMessage.read("null"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("a control record must be a JSON object, not null");
        assertThatThrownBy(() -> ControlMessage.read(delete + delete))
                .hasMessageContaining("Trailing token");
    }

    @Test
    void theStatesJsonTextIsWhatJacksonWrites() throws Exception {
        double[] special = {
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e-7,
            1e7,
            1.0e21,
            123456789.123,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        Instant[] times = {
            Instant.parse("0001-01-01T00:00:00Z"),
            Instant.parse("2026-11-29T03:04:05.123456789Z"),
            Instant.parse("9999-12-31T23:59:59.999Z"),
            Instant.EPOCH
        };
        Random random = new Random(7);
        assertThat(Json.telemetryArray(List.of())).isEqualTo(json.writeValueAsString(List.of()));
        for (int n = 0; n < 2_000; n++) {
            List<Telemetry> state = new ArrayList<>();
            for (int i = random.nextInt(6); i >= 0; i--) {
                double value =
                        random.nextBoolean()
                                ? special[random.nextInt(special.length)]
                                : Double.longBitsToDouble(random.nextLong());
                Instant time =
                        random.nextBoolean()
                                ? times[random.nextInt(times.length)]
                                : Instant.ofEpochSecond(
                                        random.nextLong(-62_135_596_800L, 253_402_300_799L),
                                        random.nextInt(1_000_000_000));
                state.add(new Telemetry(random.nextInt(Integer.MAX_VALUE), value, time));
            }
            assertThat(Json.telemetryArray(state)).isEqualTo(json.writeValueAsString(state));
        }
    }
}
