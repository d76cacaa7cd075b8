package org.dtlab.query.api;

import org.dtlab.query.http.RequestPaths;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Matching request paths to routes: a pure function of the path, the method and the declared child
 * types, so no server, Kafka or database is needed.
 */
class RouteTableTest {

    /** {@code building} declares children of types {@code series} and {@code floor}. */
    private static final RouteTable.ChildTypes CHILDREN =
            (type, child) -> type.equals("building") && Set.of("series", "floor").contains(child);

    @Test
    void everyRouteIsMatchedByAPathOfItsTemplate() {
        for (RouteTable<?> table : List.of(Routes.API, Routes.ROOT)) {
            for (Route<?> route : table.routes()) {
                String path =
                        route.template()
                                .replace("{name}", "probe")
                                .replace("{specId}", "probe")
                                .replace("{type}", "probe")
                                .replace("{file}", "explorer.js")
                                .replace("{path}", "probe/p1");
                RouteTable.Match<?> match =
                        table.match(route.method(), segments(path), RouteTable.ChildTypes.NONE);
                assertThat(match.route(route.method()))
                        .as(path)
                        .hasValueSatisfying(r -> assertThat(r).hasToString(route.toString()));
            }
        }
    }

    @Test
    void theTablesHoldEveryDocumentedRouteOnce() {
        assertThat(Routes.API.routes()).hasSize(29).doesNotHaveDuplicates();
        assertThat(Routes.ROOT.routes()).hasSize(5);
        assertThat(Routes.API.families())
                .containsExactlyInAnyOrder(
                        "type", "webhook", "actor", "stream", "alarm", "extractor", "ingest");
    }

    @Test
    void aTwinPathSpansOneToTenLevels() {
        for (int levels = 1; levels <= 10; levels++) {
            List<String> path = twinPath(levels);
            RouteTable.Match<Resources> match = api("POST", "actor", path);
            assertThat(match.endpoint().template()).isEqualTo("/actor/{path}");
            assertThat(match.params().path()).isEqualTo(path);
            assertThat(match.params().typeContainer()).isFalse();
            assertThat(match.allowed()).containsExactly("GET", "POST", "DELETE");
        }
    }

    @Test
    void aPathLongerThanTenLevelsIsABadRequestWhateverTheMethod() {
        assertRefused(() -> api("PUT", "actor", twinPath(11)), 400, "got 22 segments");
        assertRefused(() -> api("GET", "actor", typeContainer(10)), 400, "got 21 segments");
        List<String> operatorOfEleven = new ArrayList<>(twinPath(11));
        operatorOfEleven.add("operator");
        assertRefused(() -> api("GET", "actor", operatorOfEleven), 400, "got 23 segments");

        List<String> operatorOfTen = new ArrayList<>(twinPath(10));
        operatorOfTen.add("operator");
        assertThat(api("GET", "actor", operatorOfTen).endpoint().template())
                .isEqualTo("/actor/{path}/operator");
    }

    @Test
    void aGetOfATypeContainerListsItsInstancesAndNothingElseIsAllowedOnIt() {
        for (int levels = 0; levels < 10; levels++) {
            List<String> container = typeContainer(levels);
            RouteTable.Match<Resources> get = api("GET", "actor", container);
            assertThat(get.endpoint().template()).isEqualTo("/actor/{path}");
            assertThat(get.params().typeContainer()).isTrue();
            assertThat(get.params().path()).isEqualTo(container);
            assertThat(get.route("GET")).isPresent();

            RouteTable.Match<Resources> post = api("POST", "actor", container);
            assertThat(post.route("POST")).isEmpty();
            assertThat(post.allowed()).containsExactly("GET");
        }
        assertRefused(() -> api("GET", "actor", List.of()), 404, "could not be found");
    }

    @Test
    void suffixesAfterATwinPath() {
        assertThat(template("GET", "actor", "door", "d1", "operator"))
                .isEqualTo("/actor/{path}/operator");
        assertThat(template("GET", "actor", "door", "d1", "series"))
                .isEqualTo("/actor/{path}/series");
        assertThat(template("GET", "actor", "door", "d1", "stream"))
                .isEqualTo("/actor/{path}/stream");
        assertThat(api("GET", "actor", List.of("door", "d1", "series")).params().path())
                .containsExactly("door", "d1");
        // A suffix is a suffix only after a twin path: here operator is an instance.
        assertThat(template("GET", "actor", "door", "operator")).isEqualTo("/actor/{path}");
        assertThat(api("POST", "actor", List.of("door", "d1", "series")).allowed())
                .containsExactly("GET");
    }

    @Test
    void seriesAndStreamGiveWayToDeclaredChildTypesButOperatorDoesNot() {
        RouteTable.Match<Resources> series =
                api("GET", "actor", List.of("building", "b1", "series"));
        assertThat(series.endpoint().template()).isEqualTo("/actor/{path}");
        assertThat(series.params().typeContainer()).isTrue();
        assertThat(series.params().path()).containsExactly("building", "b1", "series");

        assertThat(template("GET", "actor", "building", "b1", "stream"))
                .isEqualTo("/actor/{path}/stream");
        assertThat(template("GET", "actor", "building", "b1", "floor", "f1", "series"))
                .isEqualTo("/actor/{path}/series");

        RouteTable.Match<Resources> operator =
                Routes.API.match(
                        "GET",
                        List.of("actor", "building", "b1", "operator"),
                        (type, child) -> true);
        assertThat(operator.endpoint().template()).isEqualTo("/actor/{path}/operator");
    }

    @Test
    void anAlarmPathIsATypeOrATwinAndAnyOtherMethodIsRefusedFirst() {
        RouteTable.Match<Resources> type = api("GET", "alarm", List.of("door"));
        assertThat(type.endpoint().template()).isEqualTo("/alarm/{type}");
        assertThat(type.params().get("type")).isEqualTo("door");
        assertThat(template("GET", "alarm", "door", "d1")).isEqualTo("/alarm/{path}");
        assertThat(template("GET", "alarm", "building", "b1", "floor", "f1"))
                .isEqualTo("/alarm/{path}");

        assertRefused(() -> api("GET", "alarm", List.of()), 404, "could not be found");
        assertRefused(() -> api("GET", "alarm", List.of("door", "d1", "x")), 404, "");
        assertRefused(() -> api("GET", "alarm", twinPath(11)), 400, "got 22 segments");
        // The original checked the method before the path: even a path it does not know is a 405.
        for (List<String> path :
                List.of(List.<String>of(), List.of("door", "d1", "x"), twinPath(11))) {
            assertRefused(() -> api("PUT", "alarm", path), 405, "supported methods: GET");
        }
    }

    @Test
    void anUnknownPathIsANotFoundAndAnUnknownMethodANotAllowed() {
        for (String method : List.of("GET", "POST", "PUT", "HEAD", "OPTIONS")) {
            assertRefused(() -> api(method, "nothing", List.of()), 404, "could not be found");
            assertRefused(() -> api(method, "type", List.of("a", "b")), 404, "");
            assertRefused(() -> api(method, "stream", List.of("x")), 404, "");
            assertRefused(() -> api(method, "extractor", List.of("other", "x")), 404, "");
            assertRefused(() -> api(method, "webhook", List.of("w", "deadletters", "x")), 404, "");
            assertRefused(() -> api(method, "ingest", List.of("telemetry")), 404, "");
        }
        for (String method : List.of("PUT", "HEAD", "OPTIONS", "PATCH")) {
            assertThat(api(method, "type", List.of()).allowed()).containsExactly("GET");
            assertThat(api(method, "type", List.of("t")).allowed())
                    .containsExactly("GET", "POST", "DELETE");
            assertThat(api(method, "ingest", List.of("array", "s")).allowed())
                    .containsExactly("POST");
        }
        assertThat(api("GET", "webhook", List.of("w", "deadletters", "resend")).allowed())
                .containsExactly("POST");
    }

    @Test
    void aNameParameterIsOneSegmentEvenAnEmptyOne() {
        // /type// is /type/ without its trailing slash: a type named "", which its check refuses.
        RouteTable.Match<Resources> match = api("GET", "type", List.of(""));
        assertThat(match.endpoint().template()).isEqualTo("/type/{name}");
        assertThat(match.params().get("name")).isEmpty();
    }

    @Test
    void atTheRootTheExplorerServesTheRestOfThePath() {
        assertThat(Routes.ROOT.knows(List.of("fitness"))).isTrue();
        assertThat(Routes.ROOT.knows(List.of("ui"))).isTrue();
        assertThat(Routes.ROOT.knows(List.of("nothing"))).isFalse();
        assertThat(Routes.ROOT.knows(List.of(""))).isFalse();
        RouteTable.Match<RootPages> deep =
                Routes.ROOT.match("POST", List.of("ui", "a", "b"), RouteTable.ChildTypes.NONE);
        assertThat(deep.params().get("file")).isEqualTo("a/b");
        assertThat(deep.route("POST")).isEmpty();
        assertThat(deep.allowed()).containsExactly("GET");
    }

    @Test
    void aCheckComesBeforeTheMethodButNotForATypeContainer() throws Exception {
        RouteTable<String> table =
                new RouteTable<>(
                        List.of(
                                Endpoint.<String>at("/t/{path}")
                                        .with(Endpoint.Option.TYPE_CONTAINERS)
                                        .checkedFirst(
                                                c -> c,
                                                (c, r) -> {
                                                    throw new ApiException(400, "bad " + c);
                                                })
                                        .get((c, r) -> Reply.text(200, c))),
                        Set.of());
        assertRefused(() -> answer(table, "PUT", "t", "a", "1"), 400, "bad context");
        assertRefused(() -> answer(table, "PUT", "t", "a"), 405, "supported methods: GET");
        assertThat(((Reply) answer(table, "GET", "t", "a")).bodyText()).isEqualTo("context");
        assertRefused(() -> answer(table, "GET", "u"), 404, "could not be found");
    }

    @Test
    void aTrailingSlashIsDroppedOnceAndEachSegmentIsDecodedOnItsOwn() {
        assertThat(RequestPaths.trimmed("/dtlab-alligator/type/"))
                .isEqualTo("/dtlab-alligator/type");
        assertThat(RequestPaths.trimmed("/ui//")).isEqualTo("/ui/");
        assertThat(RequestPaths.trimmed("/")).isEqualTo("/");
        assertThat(RequestPaths.rawSegments("/ui/a%2Fb")).containsExactly("ui", "a%2Fb");

        assertThat(RequestPaths.segments("actor/a%2Fb/b%C3%BC"))
                .containsExactly("actor", "a/b", "bü");
        assertThat(RequestPaths.segments("type/")).containsExactly("type", "");
        assertThat(RequestPaths.segments("type/a+b")).containsExactly("type", "a+b");
        assertRefused(() -> RequestPaths.segments(""), 404, "could not be found");
        assertRefused(
                () -> RequestPaths.segments("type/%zz"),
                400,
                "bad percent-encoding in the path at character 1");
        assertRefused(() -> RequestPaths.segments("type/%C3"), 400, "the bytes are not UTF-8");

        // An encoded slash stays in its segment: a/b is one (bad) name, not two levels.
        assertThat(template("GET", "actor", "door", "a/b")).isEqualTo("/actor/{path}");
    }

    private static Answer answer(RouteTable<String> table, String method, String... segments)
            throws Exception {
        return table.answer(
                "context",
                new Request(method, List.of(segments), Map.of(), new byte[0]),
                RouteTable.ChildTypes.NONE);
    }

    private static RouteTable.Match<Resources> api(
            String method, String family, List<String> rest) {
        List<String> segments = new ArrayList<>();
        segments.add(family);
        segments.addAll(rest);
        return Routes.API.match(method, segments, CHILDREN);
    }

    private static String template(String method, String family, String... rest) {
        return api(method, family, List.of(rest)).endpoint().template();
    }

    private static List<String> segments(String template) {
        return List.of(template.substring(1).split("/", -1));
    }

    private static List<String> twinPath(int levels) {
        List<String> path = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            path.add("t" + i);
            path.add("i" + i);
        }
        return path;
    }

    /** A twin path of {@code levels} levels followed by a type. */
    private static List<String> typeContainer(int levels) {
        List<String> path = new ArrayList<>(twinPath(levels));
        path.add("t" + levels);
        return Collections.unmodifiableList(path);
    }

    private static void assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            int status,
            String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(message);
    }
}
