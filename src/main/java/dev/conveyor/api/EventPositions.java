package dev.conveyor.api;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.conveyor.job.QueueName;

/**
 * A client's position in queues' events streams, as the SSE event id carries it: {@code queue:id,queue:id}, where id
 * is a stream entry id ({@code <ms>-<seq>}). A client that reconnects sends the last one back as {@code Last-Event-ID}.
 */
final class EventPositions {

    private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,19}-[0-9]{1,19}");

    private EventPositions() {
    }

    /** The positions, or a 422 naming the header when it is not one this API sent. Empty for no header. */
    static Map<String, String> parse(String lastEventId) {
        Map<String, String> positions = new HashMap<>();
        if (lastEventId == null || lastEventId.isBlank()) {
            return positions;
        }
        for (String part : lastEventId.split(",", -1)) {
            int colon = part.indexOf(':');
            String queue = colon < 0 ? "" : part.substring(0, colon);
            String id = colon < 0 ? "" : part.substring(colon + 1);
            if (!QueueName.isValid(queue) || !ENTRY_ID.matcher(id).matches()) {
                throw ProblemException.invalid("Last-Event-ID", "is not an event id this API sent "
                        + "(queue:<ms>-<seq>, comma-separated)");
            }
            positions.put(queue, id);
        }
        return positions;
    }
}
