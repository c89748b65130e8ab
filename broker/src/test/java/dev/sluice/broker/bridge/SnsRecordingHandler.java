package dev.sluice.broker.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.faasbridge.function.FunctionHandler;
import dev.sluice.faasbridge.function.SnsEvent;
import dev.sluice.faasbridge.function.SqsBatchResponse;
import dev.sluice.faasbridge.function.SqsEvent;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-process function (registered in META-INF/services) for topic subscriptions: it writes the
 * {@link SnsEvent} it was given, as JSON, to the file its message names, so a test reads what arrived.
 */
public final class SnsRecordingHandler implements FunctionHandler {
    static final String NAME = "record-sns-event-to-the-file-in-its-message";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SqsBatchResponse handleRequest(SqsEvent event) {
        return null;
    }

    @Override
    public void handleSnsEvent(SnsEvent event) throws Exception {
        Path target = Path.of(event.records().get(0).sns().message());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.writeString(partial, JSON.writeValueAsString(event));
        Files.move(partial, target);
    }
}
