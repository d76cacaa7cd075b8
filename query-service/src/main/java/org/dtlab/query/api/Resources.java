package org.dtlab.query.api;

/** The resources the API's routes are answered by ({@link Routes#API}). */
public record Resources(
        SpecResources specs,
        ActorResource actors,
        AlarmResource alarms,
        DeadLetterResource deadLetters,
        IngestResource ingest,
        StreamResource streams) {

    /** Which child types the types declare, as the registry has them now. */
    public RouteTable.ChildTypes childTypes() {
        return actors::declaresChild;
    }
}
