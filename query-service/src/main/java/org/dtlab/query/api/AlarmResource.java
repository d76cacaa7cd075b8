package org.dtlab.query.api;

import org.dtlab.model.ValidationException;
import org.dtlab.model.telemetry.TwinPath;
import org.dtlab.query.store.TwinStore;

import java.sql.SQLException;
import java.util.List;

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

    public Reply handle(Request request) throws SQLException {
        SpecResources.requireMethod(request, "GET");
        List<String> s = request.segments().subList(1, request.segments().size());
        if (s.size() == 1) {
            String type = SpecResources.name(request.segments(), 1, "type name");
            if (commands.registry().type(type).isEmpty()) {
                throw new ApiException(404, "type not defined");
            }
            return Reply.json(200, store.alarmsOfType(type));
        }
        if (s.size() > 2 * TwinPath.MAX_LEVELS) {
            throw ActorResource.tooLong(s.size());
        }
        if (s.size() % 2 != 0) {
            throw new ApiException(404, "The requested resource could not be found.");
        }
        TwinPath path;
        try {
            path = new TwinPath(s);
            commands.registry().resolve(path);
        } catch (ValidationException e) {
            throw new ApiException(404, e.getMessage());
        }
        return Reply.json(200, store.alarms(path.toString()));
    }
}
