package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.LambdaError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.clientsdk.filter.EventPattern;
import dev.sluice.clientsdk.filter.InvalidPatternException;
import dev.sluice.clientsdk.model.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A mapping's {@code FilterCriteria}: Lambda event filtering over each record, with client-sdk's
 * {@link EventPattern} matcher. A record passes when any filter matches (no filters: every record).
 *
 * <p>A pattern sees the record as Lambda's event has it ({@code body}, {@code attributes},
 * {@code messageAttributes}, {@code messageId}), with one difference Lambda also makes: a body that
 * is a JSON object is matched as that object, so {@code {"body":{"severity":["critical"]}}} reads the
 * message's JSON, while any other body is a string ({@code {"body":["ping"]}}), and a pattern with
 * keys under {@code body} never matches a non-JSON body. Records that match no filter are deleted
 * without an invocation (Lambda's behaviour for SQS). Immutable and thread-safe.
 */
public final class RecordFilter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordFilter EVERYTHING = new RecordFilter(List.of());

    private final List<EventPattern> patterns;

    private RecordFilter(List<EventPattern> patterns) {
        this.patterns = patterns;
    }

    /** Compiles the patterns; an unreadable one is an {@link LambdaError#INVALID_PARAMETER_VALUE} naming it. */
    public static RecordFilter compile(List<String> patterns) {
        if (patterns.isEmpty()) {
            return EVERYTHING;
        }
        List<EventPattern> compiled = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                compiled.add(EventPattern.compile(EventPattern.read(pattern)));
            } catch (JsonProcessingException e) {
                // Jackson's own wording names its classes and settings (StreamReadConstraints...): say where only.
                throw FunctionDefinition.invalid("Invalid filter pattern definition " + FunctionDefinition.quoted(pattern)
                        + ": not valid JSON" + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr()));
            } catch (InvalidPatternException e) {
                throw FunctionDefinition.invalid("Invalid filter pattern definition " + FunctionDefinition.quoted(pattern)
                        + ": " + e.getMessage());
            }
        }
        return new RecordFilter(List.copyOf(compiled));
    }

    public boolean matches(Message message) {
        if (patterns.isEmpty()) {
            return true;
        }
        JsonNode record = record(message);
        for (EventPattern pattern : patterns) {
            if (pattern.matches(record)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode record(Message message) {
        ObjectNode record = JSON.createObjectNode().put("messageId", message.messageId());
        JsonNode body = null;
        String text = message.body();
        if (text.stripLeading().startsWith("{")) {
            try {
                body = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                body = null;
            }
        }
        record.set("body", body != null && body.isObject() ? body : JSON.getNodeFactory().textNode(text));
        ObjectNode attributes = record.putObject("attributes");
        message.attributes().forEach(attributes::put);
        record.set("messageAttributes", JSON.valueToTree(SqsEvents.messageAttributes(message)));
        return record;
    }
}
