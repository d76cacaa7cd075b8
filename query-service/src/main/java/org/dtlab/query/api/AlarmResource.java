package org.dtlab.query.api;

import org.dtlab.model.ValidationException;
import org.dtlab.model.telemetry.TwinPath;
import org.dtlab.query.store.TwinStore;

import java.sql.SQLException;

/**
 * {@code /alarm/…}: active alarms. {@code GET /alarm/{type}} lists every twin of a type with its
 * active alarms; {@code GET /alarm/{path}} (a twin path) one twin's active alarms. Read from the
 * state table, where the twin job writes each twin's active alarms with its state.
 */
public final class AlarmResource {

    private final Commands commands;
    private final TwinStore store;

    public AlarmResource(Commands commands, TwinStore store) {
        this.commands = commands;
        this.store = store;
    }

    /** Every twin of a type with its active alarms. */
    public Reply ofType(Request request) throws SQLException {
        String type = SpecResources.name(request.param("type"), "type name");
        if (commands.registry().type(type).isEmpty()) {
            throw new ApiException(404, "type not defined");
        }
        return Reply.json(200, store.alarmsOfType(type));
    }

    /** One twin's active alarms; a twin the types do not have is a 404. */
    public Reply ofTwin(Request request) throws SQLException {
        TwinPath path;
        try {
            path = new TwinPath(request.params().path());
            commands.registry().resolve(path);
        } catch (ValidationException e) {
            throw new ApiException(404, e.getMessage());
        }
        return Reply.json(200, store.alarms(path.toString()));
    }
}
