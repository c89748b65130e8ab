package dev.sluice.broker.bridge;

import dev.sluice.faasbridge.function.FunctionHandler;
import dev.sluice.faasbridge.function.SqsBatchResponse;
import dev.sluice.faasbridge.function.SqsEvent;
import dev.sluice.faasbridge.function.SqsEventRecord;

/** An in-process function (registered in META-INF/services): every record whose body starts with "bad" fails. */
public final class FailingBodiesHandler implements FunctionHandler {
    static final String NAME = "fail-bodies-starting-with-bad";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SqsBatchResponse handleRequest(SqsEvent event) {
        return SqsBatchResponse.failing(event.records().stream().filter(record -> record.body().startsWith("bad"))
                .map(SqsEventRecord::messageId).toList());
    }
}
