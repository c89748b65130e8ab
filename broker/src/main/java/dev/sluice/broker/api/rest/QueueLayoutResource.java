package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.service.EngineQueueClient;
import dev.sluice.broker.service.Placement;
import dev.sluice.broker.service.QueueLayoutChanges;
import dev.sluice.broker.service.QueueMigrations;
import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import dev.sluice.raftstore.StoreGroups;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Operator actions on where a queue lives: {@code PUT /v1/queues/{name}/partitions} spreads it over more data groups,
 * {@code POST /v1/queues/{name}/migrate} moves it to another group and {@code GET} on the same path reports the
 * migration's progress. Operator-only while access keys are configured ({@link RestOperation#operatorOnly}).
 */
public final class QueueLayoutResource implements RestResource {
    private static final JsonBodyReader READER = new JsonBodyReader(SqsError.SERIALIZATION_EXCEPTION::exception);
    private static final String GROUP_PREFIX = "data-";

    private final QueueLayoutChanges layouts;
    private final QueueMigrations migrations;
    private final int groupCount;

    public QueueLayoutResource(QueueLayoutChanges layouts, QueueMigrations migrations, int groupCount) {
        this.layouts = layouts;
        this.migrations = migrations;
        this.groupCount = groupCount;
    }

    @Override
    public String tag() {
        return "queue placement";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("PUT", "/queues/{name}/partitions", "setQueuePartitions",
                        "Spreads a queue over more data groups, or (standard queues) one fewer: the last partition "
                                + "drains into the others (operator)", List.of(),
                        new Body("application/json", "{count: partitions, 1..data groups}", true),
                        RestOperation.withQueueErrors(Map.of(200, "{name, groups: [data group name]}")), this::partition),
                new RestOperation("POST", "/queues/{name}/migrate", "migrateQueue",
                        "Starts moving a queue to another data group (operator)", List.of(),
                        new Body("application/json", "{toGroup: \"data-N\", fromGroup: \"data-M\" (the partition that moves, when several)}", true),
                        RestOperation.withQueueErrors(Map.of(200, MIGRATION_SHAPE)), this::migrate),
                new RestOperation("GET", "/queues/{name}/migrate", "getQueueMigration",
                        "The queue's latest migration and its progress (operator)", List.of(), null,
                        RestOperation.withQueueErrors(Map.of(200, MIGRATION_SHAPE)), this::migration));
    }

    private static final String MIGRATION_SHAPE = "{name, fromGroup, toGroup, state: RUNNING|DRAINED|COMPLETED (standard queues: drained) or "
            + "FREEZING|COPYING|SWITCHED|COMPLETED (FIFO queues: copied while closed), moved, "
            + "startedMillis, finishedMillis}";

    private CompletableFuture<RestResponse> partition(RestRequest request) {
        var body = READER.object(request.body(), Set.of("count"));
        Integer count = READER.integer(body, "count", "count");
        if (count == null) {
            throw SqsError.MISSING_PARAMETER.exception("The request must contain the parameter count.");
        }
        String name = request.path("name");
        return answered(migrations.partition(name, count).thenApply(placed -> RestResponse.json(200, new LayoutView(name, names(placed)))));
    }

    private CompletableFuture<RestResponse> migrate(RestRequest request) {
        var body = READER.object(request.body(), Set.of("toGroup", "fromGroup"));
        String target = READER.text(body, "toGroup", "toGroup");
        if (target == null) {
            throw SqsError.MISSING_PARAMETER.exception("The request must contain the parameter toGroup.");
        }
        // Which partition moves: needed only when the queue has several.
        String source = READER.text(body, "fromGroup", "fromGroup");
        return answered(migrations.start(request.path("name"), source == null ? null : groupIndex(source, "fromGroup"),
                        groupIndex(target, "toGroup"))
                .thenApply(started -> RestResponse.json(200, view(started))));
    }

    private CompletableFuture<RestResponse> migration(RestRequest request) {
        return answered(migrations.status(request.path("name")).thenApply(migration -> RestResponse.json(200, view(migration))));
    }

    /** A store that is busy or could not confirm in time answers as SQS does (throttled, unavailable), never a 500. */
    private static CompletableFuture<RestResponse> answered(CompletableFuture<RestResponse> response) {
        return response.handle((answer, error) -> {
            if (error != null) {
                throw EngineQueueClient.asSqsError(error);
            }
            return answer;
        });
    }

    private int groupIndex(String name, String parameter) {
        if (name.startsWith(GROUP_PREFIX)) {
            try {
                int index = Integer.parseInt(name.substring(GROUP_PREFIX.length()));
                if (index >= 0 && index < groupCount && StoreGroups.dataGroupName(index).equals(name)) {
                    return index;
                }
            } catch (NumberFormatException notAGroup) {
                // answered below
            }
        }
        throw SqsError.INVALID_PARAMETER_VALUE.exception(parameter + " must name a data group, data-0 to data-" + (groupCount - 1) + ".");
    }

    private static List<String> names(Placement placement) {
        return placement.groups().stream().map(StoreGroups::dataGroupName).toList();
    }

    private static MigrationView view(Migration migration) {
        return new MigrationView(migration.queueName(), StoreGroups.dataGroupName(migration.fromGroup()),
                StoreGroups.dataGroupName(migration.toGroup()), migration.state().name(), migration.moved(),
                migration.startedMillis(), migration.finishedMillis());
    }

    record LayoutView(String name, List<String> groups) {
    }

    record MigrationView(String name, String fromGroup, String toGroup, String state, long moved, long startedMillis,
            long finishedMillis) {
    }
}
