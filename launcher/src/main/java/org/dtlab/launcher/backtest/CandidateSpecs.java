package org.dtlab.launcher.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidate specs of a back-test ({@code --specs}): the control messages as the job receives
 * them, and the registry they fold into, which names the properties of the final states.
 *
 * @param messages control messages in JSON, one per element, in the order of the file
 * @param registry the messages applied in order to an empty registry
 */
record CandidateSpecs(List<String> messages, Registry registry) {

    private static final ObjectMapper JSON = Json.mapper();

    CandidateSpecs {
        messages = List.copyOf(messages);
    }

    /** Reads a JSON array of control messages, or one message per line, and folds them. */
    static CandidateSpecs read(Path file) throws IOException {
        List<String> messages = readMessages(file);
        Registry registry = Registry.empty();
        for (String message : messages) {
            registry = registry.apply(ControlMessage.read(message)).registry();
        }
        return new CandidateSpecs(messages, registry);
    }

    private static List<String> readMessages(Path file) throws IOException {
        String text = Files.readString(file).strip();
        List<String> messages = new ArrayList<>();
        if (text.startsWith("[")) {
            for (JsonNode message : JSON.readTree(text)) {
                messages.add(JSON.writeValueAsString(message));
            }
        } else {
            text.lines().filter(l -> !l.isBlank()).forEach(messages::add);
        }
        return messages;
    }
}
