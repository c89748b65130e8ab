package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
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

    private final QueueClient client;
    private final Function<String, String> queueUrl;
    private final Function<String, CompletableFuture<List<String>>> groupsOf;

    /**
     * @param queueUrl the queue URL of a queue name
     * @param groupsOf the names of the Raft data groups that hold a queue's messages
     */
    public QueueResource(QueueClient client, Function<String, String> queueUrl,
            Function<String, CompletableFuture<List<String>>> groupsOf) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.groupsOf = groupsOf;
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
                                Parameter.query("nextToken", "string", "the previous page's nextToken")),
                        null, Map.of(200, "{queues: [{name, url}], nextToken}", 400, "invalid input"), this::list),
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
        ListQueuesRequest list = new ListQueuesRequest(request.query("prefix"), request.query("nextToken"),
                RestParameters.integer(request.query("maxResults"), "maxResults"));
        return client.listQueues(list).thenApply(response -> RestResponse.json(200, new QueueList(
                response.queueUrls().stream().map(url -> new QueueView(nameOf(url), url, null, null, null)).toList(),
                response.nextToken())));
    }

    private CompletableFuture<RestResponse> create(RestRequest request) {
        CreateBody body = CreateBody.parse(request.body());
        String name = request.path("name");
        return client.createQueue(new CreateQueueRequest(name, body.attributes, body.tags))
                .thenApply(created -> RestResponse.json(200, new QueueView(name, created.queueUrl(), null, null, null)));
    }

    private CompletableFuture<RestResponse> get(RestRequest request) {
        String name = request.path("name");
        String url = queueUrl.apply(name);
        return client.getQueueAttributes(new GetQueueAttributesRequest(url, List.of("All"))).thenCompose(response -> {
            Map<String, String> attributes = response.attributes();
            Map<String, Long> depth = new LinkedHashMap<>();
            depth.put("visible", count(attributes, "ApproximateNumberOfMessages"));
            depth.put("inFlight", count(attributes, "ApproximateNumberOfMessagesNotVisible"));
            depth.put("delayed", count(attributes, "ApproximateNumberOfMessagesDelayed"));
            return groupsOf.apply(name).thenApply(groups -> RestResponse.json(200,
                    new QueueView(name, url, attributes, depth, groups)));
        });
    }

    private CompletableFuture<RestResponse> delete(RestRequest request) {
        return client.deleteQueue(new DeleteQueueRequest(queueUrl.apply(request.path("name"))))
                .thenApply(ignored -> RestResponse.noContent());
    }

    private static long count(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String nameOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** A queue as JSON; {@code attributes}, {@code depth} and {@code groups} only where asked for. */
    record QueueView(String name, String url, Map<String, String> attributes, Map<String, Long> depth, List<String> groups) {
    }

    record QueueList(List<QueueView> queues, String nextToken) {
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
