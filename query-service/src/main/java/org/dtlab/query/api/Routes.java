package org.dtlab.query.api;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Every route of the API, as documented in {@code openapi.yaml}: the dispatcher answers with these
 * tables, and a test keeps them equal to the document and checks that each route answers. {@code
 * {path}} spans several segments: a twin path of 1–10 type/instance levels — or, for {@code GET
 * /actor/{path}}, a type container path (a twin path followed by a type), which lists the
 * container's instances.
 */
public final class Routes {

    private static final Function<Resources, SpecResources> SPECS = Resources::specs;
    private static final Function<Resources, ActorResource> ACTORS = Resources::actors;
    private static final Function<Resources, AlarmResource> ALARMS = Resources::alarms;
    private static final Function<Resources, DeadLetterResource> DEAD_LETTERS =
            Resources::deadLetters;
    private static final Function<Resources, IngestResource> INGEST = Resources::ingest;
    private static final Function<Resources, StreamResource> STREAMS = Resources::streams;

    /**
     * The routes under the prefix. Where the original checked a name before the method, so does
     * {@code checkedFirst}; elsewhere the resource checks its parameters after the method.
     */
    public static final RouteTable<Resources> API =
            new RouteTable<>(
                    List.of(
                            api("/type").get(SPECS, SpecResources::listTypes),
                            api("/type/{name}")
                                    .checkedFirst(SPECS, SpecResources::checkTypeName)
                                    .get(SPECS, SpecResources::type)
                                    .post(SPECS, SpecResources::createType)
                                    .delete(SPECS, SpecResources::deleteType),
                            api("/webhook").get(SPECS, SpecResources::listWebhooks),
                            api("/webhook/{name}")
                                    .checkedFirst(SPECS, SpecResources::checkWebhookName)
                                    .get(SPECS, SpecResources::webhook)
                                    .post(SPECS, SpecResources::createWebhook)
                                    .delete(SPECS, SpecResources::deleteWebhook),
                            api("/webhook/{name}/deadletters")
                                    .get(DEAD_LETTERS, DeadLetterResource::list),
                            api("/webhook/{name}/deadletters/resend")
                                    .post(DEAD_LETTERS, DeadLetterResource::resend),
                            api("/actor/{path}")
                                    .with(Endpoint.Option.TYPE_CONTAINERS)
                                    .checkedFirst(ACTORS, ActorResource::checkPath)
                                    .get(ACTORS, ActorResource::get)
                                    .post(ACTORS, ActorResource::telemetry)
                                    .delete(ACTORS, ActorResource::delete),
                            api("/actor/{path}/operator")
                                    .checkedFirst(ACTORS, ActorResource::checkPath)
                                    .get(ACTORS, ActorResource::operators)
                                    .post(ACTORS, ActorResource::putOperator)
                                    .delete(ACTORS, ActorResource::deleteOperators),
                            api("/actor/{path}/series")
                                    .with(Endpoint.Option.GIVES_WAY_TO_CHILDREN)
                                    .checkedFirst(ACTORS, ActorResource::checkTwin)
                                    .get(ACTORS, ActorResource::series),
                            api("/actor/{path}/stream")
                                    .with(Endpoint.Option.GIVES_WAY_TO_CHILDREN)
                                    .get(STREAMS, StreamResource::twin),
                            api("/stream").get(STREAMS, StreamResource::all),
                            api("/alarm/{type}").get(ALARMS, AlarmResource::ofType),
                            api("/alarm/{path}").get(ALARMS, AlarmResource::ofTwin),
                            extractor("/extractor/object/{specId}"),
                            extractor("/extractor/telemetry/{specId}"),
                            api("/ingest/telemetry/{specId}")
                                    .post(INGEST, IngestResource::telemetry),
                            api("/ingest/array/{specId}").post(INGEST, IngestResource::array)),
                    Set.of("alarm"));

    /** The routes at the server root, outside the prefix. */
    public static final RouteTable<RootPages> ROOT =
            new RouteTable<>(
                    List.of(
                            root("/observe").get(RootPages::observe),
                            root("/fitness").get(RootPages::fitness),
                            root("/openapi.yaml").get(RootPages::openApi),
                            root("/ui").get(RootPages::explorerPage),
                            root("/ui/{file}").get(RootPages::explorerFile)),
                    Set.of());

    private static Endpoint<Resources> api(String template) {
        return Endpoint.at(template);
    }

    private static Endpoint<RootPages> root(String template) {
        return Endpoint.at(template);
    }

    private static Endpoint<Resources> extractor(String template) {
        return api(template)
                .checkedFirst(SPECS, SpecResources::checkSpecId)
                .get(SPECS, SpecResources::extractor)
                .post(SPECS, SpecResources::createExtractor)
                .delete(SPECS, SpecResources::deleteExtractor);
    }

    private Routes() {}
}
