package org.dtlab.model.control;

import org.dtlab.model.ValidationException;
import org.dtlab.model.control.Registry.Outcome;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.ObjectExtractorSpec;
import org.dtlab.model.spec.PathSpec;
import org.dtlab.model.spec.TelemetryExtractor;
import org.dtlab.model.spec.TelemetryExtractorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.spec.ValueSpec;
import org.dtlab.model.spec.WebhookSpec;
import org.dtlab.model.spec.WebhookTarget;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00.000Z");

    @Test
    void createStampsTheTypeAndASecondCreateIsRejected() {
        Registry.Applied first =
                Registry.empty().apply(createType("machinery", List.of("height"), List.of()));
        Registry.Applied second =
                first.registry().apply(createType("machinery", List.of("other"), List.of()));

        assertThat(first.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(first.registry().type("machinery").orElseThrow().created()).isEqualTo(NOW);
        assertThat(second.outcome()).isEqualTo(Outcome.EXISTS);
        assertThat(second.registry().type("machinery").orElseThrow().props())
                .containsExactly("height");
    }

    @Test
    void deleteRemovesAndADeleteOfNothingIsNotFound() {
        Registry registry =
                Registry.empty().apply(createType("door", List.of("open"), List.of())).registry();

        Registry.Applied deleted =
                registry.apply(ControlMessage.delete("d1", NOW, ControlMessage.Kind.TYPE, "door"));
        Registry.Applied again =
                deleted.registry()
                        .apply(ControlMessage.delete("d2", NOW, ControlMessage.Kind.TYPE, "door"));

        assertThat(deleted.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(deleted.registry().type("door")).isEmpty();
        assertThat(again.outcome()).isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void theReservedTypeNameIsInvalid() {
        Registry.Applied applied =
                Registry.empty().apply(createType("operator", List.of("x"), List.of()));

        assertThat(applied.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(applied.registry().types()).isEmpty();
    }

    @Test
    void pathValidationReportsTheFirstUndeclaredPairThenAMissingType() {
        Registry registry =
                Registry.empty()
                        .apply(createType("building", List.of(), List.of("floor")))
                        .registry()
                        .apply(createType("mach", List.of("x"), List.of()))
                        .registry();

        assertThatThrownBy(() -> registry.resolve(TwinPath.parse("mach/m1/flr/f1")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("mach type does not have children of type flr");
        assertThatThrownBy(() -> registry.resolve(TwinPath.parse("building/b1/floor/f1")))
                .hasMessage("type not defined");
        assertThatThrownBy(() -> registry.resolve(TwinPath.parse("nope/n1")))
                .hasMessage("type not defined");
        assertThatThrownBy(() -> registry.resolve(TwinPath.parse("nope/n1/floor/f1")))
                .hasMessage("nope type does not have children of type floor");
        assertThat(registry.resolve(TwinPath.parse("building/b1")).name()).isEqualTo("building");
    }

    @Test
    void webhooksAreCreateOnlyAndDeletesStick() {
        WebhookSpec hook =
                new WebhookSpec(
                        "fleet",
                        new WebhookTarget("localhost", 8082, "/hook", false, null),
                        "*",
                        null,
                        EventType.STATE_CHANGE,
                        null);
        Registry registry =
                Registry.empty().apply(ControlMessage.createWebhook("w1", NOW, hook)).registry();

        assertThat(registry.webhook("fleet").orElseThrow().created()).isEqualTo(NOW);
        assertThat(registry.apply(ControlMessage.createWebhook("w2", NOW, hook)).outcome())
                .isEqualTo(Outcome.EXISTS);
        Registry deleted =
                registry.apply(
                                ControlMessage.delete(
                                        "w3", NOW, ControlMessage.Kind.WEBHOOK, "fleet"))
                        .registry();
        assertThat(deleted.webhooks()).isEmpty();
    }

    @Test
    void telemetryExtractorNamesResolveToIndexesOrTheSpecIsInvalid() {
        Registry registry =
                Registry.empty()
                        .apply(
                                createType(
                                        "object",
                                        List.of("absolute_magnitude", "diameter_min"),
                                        List.of()))
                        .registry();
        TelemetryExtractorSpec good = extractorSpec("neo1", "diameter_min");
        TelemetryExtractorSpec bad = extractorSpec("neo2", "no_such_prop");

        Registry.Applied ok =
                registry.apply(ControlMessage.createTelemetryExtractor("e1", NOW, good));
        Registry.Applied rejected =
                registry.apply(ControlMessage.createTelemetryExtractor("e2", NOW, bad));

        assertThat(ok.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(
                        ok.registry()
                                .telemetryExtractor("neo1")
                                .orElseThrow()
                                .extractors()
                                .get(0)
                                .values()
                                .get(0)
                                .idx())
                .isEqualTo(1);
        assertThat(rejected.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(rejected.reason()).isEqualTo("no type field found for path $.d for specId neo2");
    }

    @Test
    void objectExtractorsAreStoredWithTheirCreationTime() {
        Registry.Applied applied =
                Registry.empty()
                        .apply(
                                ControlMessage.createObjectExtractor(
                                        "o1",
                                        NOW,
                                        new ObjectExtractorSpec("neo1", "$.x[*]", "neo1", null)));

        assertThat(applied.registry().objectExtractor("neo1").orElseThrow().created())
                .isEqualTo(NOW);
    }

    @Test
    void aCreateWhoseBodyNamesAnotherSpecIsRefused() {
        TwinType type = new TwinType("a", List.of(), List.of(), List.of(), null);

        assertThatThrownBy(
                        () ->
                                new ControlMessage(
                                        1,
                                        "x",
                                        ControlMessage.Action.CREATE,
                                        ControlMessage.Kind.TYPE,
                                        "b",
                                        NOW,
                                        type,
                                        null,
                                        null,
                                        null))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("differs");
    }

    static ControlMessage createType(String name, List<String> props, List<String> children) {
        return ControlMessage.createType(
                "id-" + name, NOW, new TwinType(name, props, children, List.of(), null));
    }

    private static TelemetryExtractorSpec extractorSpec(String id, String prop) {
        TelemetryExtractor extractor =
                new TelemetryExtractor(
                        List.of(List.of(new PathSpec("object", "$.id", "String"))),
                        List.of(new ValueSpec(prop, "object", null, "$.d", "Double", null)),
                        null,
                        null);
        return new TelemetryExtractorSpec(id, List.of(extractor), null);
    }
}
