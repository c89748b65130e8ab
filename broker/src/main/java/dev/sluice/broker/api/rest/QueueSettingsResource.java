package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import dev.sluice.clientsdk.model.ListQueueTagsRequest;
import dev.sluice.clientsdk.model.PurgeQueueRequest;
import dev.sluice.clientsdk.model.SetQueueAttributesRequest;
import dev.sluice.clientsdk.model.TagQueueRequest;
import dev.sluice.clientsdk.model.UntagQueueRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/queues/{name}/attributes}, {@code /tags} and purge ({@code DELETE /v1/queues/{name}/messages}):
 * SetQueueAttributes, TagQueue, UntagQueue, ListQueueTags and PurgeQueue through the validating in-process
 * {@link QueueClient}, so ranges and error codes are the SQS API's.
 */
public final class QueueSettingsResource implements RestResource {
    private static final JsonBodyReader READER = new JsonBodyReader(SqsError.SERIALIZATION_EXCEPTION::exception);

    private final CallerQueues queues;

    public QueueSettingsResource(CallerQueues queues) {
        this.queues = queues;
    }

    @Override
    public String tag() {
        return "queues";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("PUT", "/queues/{name}/attributes", "setQueueAttributes",
                        "Sets queue attributes (SetQueueAttributes: the attributes given change, the others stay)", List.of(),
                        new Body("application/json", "{attributes: {SQS attribute: value}}", true),
                        RestOperation.withQueueErrors(Map.of(204, "set")), this::setAttributes),
                new RestOperation("GET", "/queues/{name}/tags", "listQueueTags", "A queue's tags", List.of(), null,
                        RestOperation.withQueueErrors(Map.of(200, "{tags: {key: value}}")), this::tags),
                new RestOperation("PUT", "/queues/{name}/tags", "tagQueue",
                        "Adds tags or changes their values (TagQueue)", List.of(),
                        new Body("application/json", "{tags: {key: value}}", true),
                        RestOperation.withQueueErrors(Map.of(204, "tagged")), this::tag),
                new RestOperation("DELETE", "/queues/{name}/tags", "untagQueue", "Removes tags by key (UntagQueue)",
                        List.of(new Parameter("key", "query", "string", true, "a tag key; repeat for several")), null,
                        RestOperation.withQueueErrors(Map.of(204, "untagged")), this::untag),
                new RestOperation("DELETE", "/queues/{name}/messages", "purgeQueue",
                        "Deletes every message of the queue (PurgeQueue; once per 60 seconds)", List.of(), null,
                        RestOperation.withQueueErrors(Map.of(204, "purged", 403, "PurgeQueueInProgress")), this::purge));
    }

    private CompletableFuture<RestResponse> setAttributes(RestRequest request) {
        var root = READER.object(request.body(), Set.of("attributes"));
        Map<String, String> attributes = READER.stringMap(root, "attributes", "attributes");
        return queues.client(request).setQueueAttributes(new SetQueueAttributesRequest(urlOf(request), attributes == null ? Map.of() : attributes))
                .thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> tags(RestRequest request) {
        return queues.client(request).listQueueTags(new ListQueueTagsRequest(urlOf(request)))
                .thenApply(listed -> RestResponse.json(200, Map.of("tags", listed.tags() == null ? Map.of() : listed.tags())));
    }

    private CompletableFuture<RestResponse> tag(RestRequest request) {
        var root = READER.object(request.body(), Set.of("tags"));
        Map<String, String> tags = READER.stringMap(root, "tags", "tags");
        return queues.client(request).tagQueue(new TagQueueRequest(urlOf(request), tags == null ? Map.of() : tags))
                .thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> untag(RestRequest request) {
        List<String> keys = request.query().getOrDefault("key", List.of());
        return queues.client(request).untagQueue(new UntagQueueRequest(urlOf(request), keys)).thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> purge(RestRequest request) {
        return queues.client(request).purgeQueue(new PurgeQueueRequest(urlOf(request))).thenApply(ignored -> RestResponse.noContent());
    }

    private String urlOf(RestRequest request) {
        return queues.urlOf(request, request.path("name"));
    }
}
