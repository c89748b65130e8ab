package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import dev.sluice.clientsdk.model.CancelMessageMoveTaskRequest;
import dev.sluice.clientsdk.model.ListDeadLetterSourceQueuesRequest;
import dev.sluice.clientsdk.model.ListMessageMoveTasksRequest;
import dev.sluice.clientsdk.model.ListMessageMoveTasksResultEntry;
import dev.sluice.clientsdk.model.StartMessageMoveTaskRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A dead-letter queue's side of redrive: which queues use it ({@code GET /v1/queues/{name}/dead-letter-sources},
 * ListDeadLetterSourceQueues) and its message move tasks ({@code /v1/queues/{name}/move-tasks}: start, list with
 * progress, cancel), through the validating in-process {@link QueueClient}. Queues are named, not given as ARNs.
 */
public final class RedriveResource implements RestResource {
    private static final JsonBodyReader READER = new JsonBodyReader(SqsError.SERIALIZATION_EXCEPTION::exception);
    private static final String ARN_NAME_SEPARATOR = ":";

    private final CallerQueues queues;

    public RedriveResource(CallerQueues queues) {
        this.queues = queues;
    }

    @Override
    public String tag() {
        return "queues";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("GET", "/queues/{name}/dead-letter-sources", "listDeadLetterSourceQueues",
                        "The queues whose RedrivePolicy names this queue as their dead-letter queue",
                        List.of(Parameter.query("maxResults", "integer", "page size, 1..1000"),
                                Parameter.query("nextToken", "string", "the previous page's nextToken")), null,
                        RestOperation.withQueueErrors(Map.of(200, "{queues: [{name, url}], nextToken}")), this::sources),
                new RestOperation("POST", "/queues/{name}/move-tasks", "startMessageMoveTask",
                        "Moves this dead-letter queue's messages back to their source queues, or to destination",
                        List.of(), new Body("application/json",
                                "optional {destination: queue name, maxMessagesPerSecond: 1..500}", false),
                        RestOperation.withQueueErrors(Map.of(200, "{taskHandle}")), this::start),
                new RestOperation("GET", "/queues/{name}/move-tasks", "listMessageMoveTasks",
                        "This queue's most recent move tasks, with their progress",
                        List.of(Parameter.query("maxResults", "integer", "1..10 (default 1)")), null,
                        RestOperation.withQueueErrors(Map.of(200, "{tasks: [{taskHandle, status, source, destination, "
                                + "maxMessagesPerSecond, moved, toMove, failureReason, startedTimestamp}]}")), this::tasks),
                new RestOperation("DELETE", "/queues/{name}/move-tasks/{taskHandle}", "cancelMessageMoveTask",
                        "Cancels a running move task; messages moved so far stay moved", List.of(), null,
                        RestOperation.withQueueErrors(Map.of(200, "{moved}")), this::cancel));
    }

    private CompletableFuture<RestResponse> sources(RestRequest request) {
        return queues.client(request).listDeadLetterSourceQueues(new ListDeadLetterSourceQueuesRequest(queues.urlOf(request, request.path("name")),
                        request.query("nextToken"), RestParameters.integer(request.query("maxResults"), "maxResults")))
                .thenApply(listed -> RestResponse.json(200, new Sources(listed.queueUrls().stream()
                        .map(url -> new QueueResource.QueueView(url.substring(url.lastIndexOf('/') + 1), url, null, null, null, null))
                        .toList(), listed.nextToken())));
    }

    private CompletableFuture<RestResponse> start(RestRequest request) {
        var root = READER.object(request.body(), Set.of("destination", "maxMessagesPerSecond"));
        String destination = READER.text(root, "destination", "destination");
        Integer rate = READER.integer(root, "maxMessagesPerSecond", "maxMessagesPerSecond");
        return queues.client(request).startMessageMoveTask(new StartMessageMoveTaskRequest(queues.arnOf(request, request.path("name")),
                        destination == null ? null : queues.arnOf(request, destination), rate))
                .thenApply(started -> RestResponse.json(200, Map.of("taskHandle", started.taskHandle())));
    }

    private CompletableFuture<RestResponse> tasks(RestRequest request) {
        return queues.client(request).listMessageMoveTasks(new ListMessageMoveTasksRequest(queues.arnOf(request, request.path("name")),
                        RestParameters.integer(request.query("maxResults"), "maxResults")))
                .thenApply(listed -> RestResponse.json(200, Map.of("tasks", listed.results().stream()
                        .map(RedriveResource::view).toList())));
    }

    private CompletableFuture<RestResponse> cancel(RestRequest request) {
        return queues.client(request).cancelMessageMoveTask(new CancelMessageMoveTaskRequest(request.path("taskHandle")))
                .thenApply(cancelled -> RestResponse.json(200, Map.of("moved", cancelled.approximateNumberOfMessagesMoved())));
    }

    private static TaskView view(ListMessageMoveTasksResultEntry task) {
        return new TaskView(task.taskHandle(), task.status(), nameOf(task.sourceArn()), nameOf(task.destinationArn()),
                task.maxNumberOfMessagesPerSecond(), task.approximateNumberOfMessagesMoved(),
                task.approximateNumberOfMessagesToMove(), task.failureReason(), task.startedTimestamp());
    }

    /** The queue name an ARN ends with; null for none (a task back to the sources has no destination). */
    private static String nameOf(String arn) {
        return arn == null ? null : arn.substring(arn.lastIndexOf(ARN_NAME_SEPARATOR) + 1);
    }

    record Sources(List<QueueResource.QueueView> queues, String nextToken) {
    }

    /** A move task as JSON: source and destination by queue name; {@code destination} absent for back to the sources. */
    record TaskView(String taskHandle, String status, String source, String destination, Integer maxMessagesPerSecond,
            Long moved, Long toMove, String failureReason, Long startedTimestamp) {
    }
}
