package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.broker.core.QueueCounts;
import dev.sluice.broker.core.QueueDepth;
import dev.sluice.broker.core.QueueStats;
import dev.sluice.broker.service.ClusterQueueStats;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import dev.sluice.clientsdk.model.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code /v1/queues}: list, create (idempotent, with attributes and tags), get (attributes and
 * depths) and delete queues, through the validating in-process {@link QueueClient}.
 */
public final class QueueResource implements RestResource {

    private final CallerQueues queues;
    private final Function<String, CompletableFuture<List<String>>> groupsOf;
    private final Function<List<String>, CompletableFuture<ClusterQueueStats.Answer>> statsOf;

    /**
     * @param groupsOf the names of the Raft data groups that hold a queue's messages, by its key ({@link CallerQueues#keyOf})
     * @param statsOf the backlogs and traffic counts of queues by their keys, as their groups' leaders answer them
     */
    public QueueResource(CallerQueues queues, Function<String, CompletableFuture<List<String>>> groupsOf,
            Function<List<String>, CompletableFuture<ClusterQueueStats.Answer>> statsOf) {
        this.queues = queues;
        this.groupsOf = groupsOf;
        this.statsOf = statsOf;
    }

    @Override
    public String tag() {
        return "queues";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("GET", "/queues", "listQueues", "Lists queues by name prefix",
                        List.of(Parameter.query("prefix", "string", "QueueNamePrefix"),
                                Parameter.query("maxResults", "integer", "page size, 1..1000"),
                                Parameter.query("nextToken", "string", "the previous page's nextToken"),
                                Parameter.query("stats", "boolean", "true: each queue's stats as its group's leader "
                                        + "answers them, whichever node is asked (one read per data group)")),
                        null, Map.of(200, "{queues: [{name, url, stats: {visible, inFlight, delayed, oldestAgeSeconds, "
                                + "sent, received, deleted, deadLettered}}], nextToken, unavailableGroups}; the counts "
                                + "are the leader's since it started", 400, "invalid input"), this::list),
                new RestOperation("PUT", "/queues/{name}", "createQueue",
                        "Creates a queue, or answers the existing one with the same attributes", List.of(),
                        new Body("application/json", "optional {attributes: {SQS attribute: value}, tags: {...}}", false),
                        RestOperation.withQueueErrors(Map.of(200, "{name, url}")), this::create),
                new RestOperation("GET", "/queues/{name}", "getQueue",
                        "A queue's attributes and depths", List.of(), null,
                        RestOperation.withQueueErrors(Map.of(200,
                                "{name, url, attributes, depth: {visible, inFlight, delayed}, groups: [data group name]}")),
                        this::get),
                new RestOperation("DELETE", "/queues/{name}", "deleteQueue", "Deletes a queue and its messages",
                        List.of(), null, RestOperation.withQueueErrors(Map.of(204, "deleted")), this::delete));
    }

    private CompletableFuture<RestResponse> list(RestRequest request) {
        // Always a prefix: a REST list is the caller's account's (an operator's too), as REST names queues in it.
        String prefix = request.query("prefix");
        ListQueuesRequest list = new ListQueuesRequest(prefix == null ? "" : prefix, request.query("nextToken"),
                RestParameters.integer(request.query("maxResults"), "maxResults"));
        boolean withStats = RestParameters.bool(request.query("stats"), "stats");
        return queues.client(request).listQueues(list).thenCompose(response -> {
            List<String> keys = response.queueUrls().stream().map(queues::keyOf).toList();
            CompletableFuture<ClusterQueueStats.Answer> stats = withStats ? statsOf.apply(keys)
                    : CompletableFuture.completedFuture(null);
            return stats.thenApply(answer -> RestResponse.json(200, new QueueList(response.queueUrls().stream()
                    .map(url -> new QueueView(nameOf(url), url, null, null, null,
                            answer == null ? null : StatsView.of(answer.stats().get(queues.keyOf(url))))).toList(),
                    response.nextToken(), answer == null ? null : answer.unavailableGroups())));
        });
    }

    private CompletableFuture<RestResponse> create(RestRequest request) {
        CreateBody body = CreateBody.parse(request.body());
        String name = request.path("name");
        return queues.client(request).createQueue(new CreateQueueRequest(name, body.attributes, body.tags))
                .thenApply(created -> RestResponse.json(200, new QueueView(name, created.queueUrl(), null, null, null, null)));
    }

    private CompletableFuture<RestResponse> get(RestRequest request) {
        String name = request.path("name");
        String url = queues.urlOf(request, name);
        return queues.client(request).getQueueAttributes(new GetQueueAttributesRequest(url, List.of("All"))).thenCompose(response -> {
            Map<String, String> attributes = response.attributes();
            Map<String, Long> depth = new LinkedHashMap<>();
            depth.put("visible", count(attributes, "ApproximateNumberOfMessages"));
            depth.put("inFlight", count(attributes, "ApproximateNumberOfMessagesNotVisible"));
            depth.put("delayed", count(attributes, "ApproximateNumberOfMessagesDelayed"));
            return groupsOf.apply(queues.keyOf(url)).thenApply(groups -> RestResponse.json(200,
                    new QueueView(name, url, attributes, depth, groups, null)));
        });
    }

    private CompletableFuture<RestResponse> delete(RestRequest request) {
        return queues.client(request).deleteQueue(new DeleteQueueRequest(queues.urlOf(request, request.path("name"))))
                .thenApply(ignored -> RestResponse.noContent());
    }

    private static long count(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String nameOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** A queue as JSON; {@code attributes}, {@code depth}, {@code groups} and {@code stats} only where asked for. */
    record QueueView(String name, String url, Map<String, String> attributes, Map<String, Long> depth, List<String> groups,
            StatsView stats) {
    }

    /** {@code unavailableGroups}: with stats, the data groups whose leader did not answer (their queues have none). */
    record QueueList(List<QueueView> queues, String nextToken, List<String> unavailableGroups) {
    }

    /** A queue's stats as JSON (CloudWatch's meanings); the counts are its leader's since that process started. */
    record StatsView(long visible, long inFlight, long delayed, double oldestAgeSeconds, long sent, long received,
            long deleted, long deadLettered) {
        static StatsView of(QueueStats stats) {
            if (stats == null) {
                return null;
            }
            QueueDepth depth = stats.depth();
            QueueCounts counts = stats.counts();
            return new StatsView(depth.visible(), depth.inFlight(), depth.delayed(), depth.oldestAgeMillis() / 1000.0,
                    counts.sent(), counts.received(), counts.deleted(), counts.deadLettered());
        }
    }

    /** The optional body of a create: SQS attributes and tags, read by the REST edge's strict reader. */
    record CreateBody(Map<String, String> attributes, Map<String, String> tags) {
        private static final JsonBodyReader READER = new JsonBodyReader(SqsError.SERIALIZATION_EXCEPTION::exception);

        static CreateBody parse(byte[] body) {
            var root = READER.object(body, java.util.Set.of("attributes", "tags"));
            return new CreateBody(READER.stringMap(root, "attributes", "attributes"), READER.stringMap(root, "tags", "tags"));
        }
    }
}
