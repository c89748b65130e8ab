package dev.sluice.notify.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.notify.core.AttributeLimits;
import dev.sluice.notify.core.DeliveryPolicy;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import dev.sluice.notify.core.TopicArn;
import dev.sluice.notify.core.TopicAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * CreateTopic, DeleteTopic, ListTopics, Get/SetTopicAttributes and the tag actions. Thread-safe; never
 * blocks: every call answers with a future that fails with an SnsException for expected errors.
 */
public final class TopicActions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SETTABLE = Set.of("DisplayName", "Policy", "DeliveryPolicy", "SignatureVersion",
            "TracingConfig", "KmsMasterKeyId", "DataProtectionPolicy", "ContentBasedDeduplication");
    private static final int MAX_TAGS = 50;
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");

    private final NotifyCatalog catalog;
    private final InternalQueues queues;
    private final Supplier<UUID> ids;
    private final Runnable topologyChanged;
    private final TopicAccess access;

    /** @param access checks a Policy attribute before it is stored */
    public TopicActions(NotifyCatalog catalog, InternalQueues queues, Supplier<UUID> ids, Runnable topologyChanged,
            TopicAccess access) {
        this.catalog = catalog;
        this.access = access;
        this.queues = queues;
        this.ids = ids;
        this.topologyChanged = topologyChanged;
    }

    /** The ARN of the topic of a qualified name ({@link TopicArn#qualifiedName}), its owner's account in it. */
    TopicArn arn(String qualifiedName) {
        return TopicArn.ofQualified(queues.region(), qualifiedName, queues.accountId());
    }

    /** The catalog key of the topic an ARN names: its name within the ARN's account. */
    String key(TopicArn arn) {
        return arn.qualifiedName(queues.accountId());
    }

    /** Whether the caller is an operator, who reaches every account's topics and subscriptions. */
    boolean isOperator(dev.sluice.notify.core.Caller caller) {
        return access.operator(caller);
    }

    /** Whether count quotas are claimed in the create's own catalog write (feature level 2, {@link TopicAccess}). */
    CompletableFuture<Boolean> exactCountQuotas() {
        return access.exactCountQuotas();
    }

    /** The account's subscriptions quota; 0 for no limit. */
    long subscriptionQuota(String account) {
        return access.subscriptionQuota(account);
    }

    /** The account of a caller, the default one for a caller the server named none for. */
    String accountOf(dev.sluice.notify.core.Caller caller) {
        return caller.account(queues.accountId());
    }

    /**
     * Idempotent: the same name and attributes return the existing topic's ARN. The topic belongs to
     * {@code account}: names are unique within an account, and its ARN carries the account.
     */
    public CompletableFuture<String> createTopic(String account, String name, Map<String, String> attributes,
            Map<String, String> tags) {
        return Futures.of(() -> {
            Map<String, String> settable = checkCreate(name, attributes);
            checkTags(tags);
            String qualified = TopicArn.qualifiedName(account, name, queues.accountId());
            Topic topic = new Topic(qualified, ids.get().toString(), settable, tags);
            return catalog.topic(qualified).thenCompose(existing -> {
                if (existing.isPresent()) {
                    if (!existing.get().attributes().equals(settable)) {
                        throw SnsError.invalidParameter("Attributes Reason: Topic already exists with different attributes");
                    }
                    return CompletableFuture.completedFuture(existing.get());
                }
                // Within the account's quota; then outbox first: a topic visible in the catalog always has one.
                return withinTopicQuota(account, qualified).thenCompose(counted -> queues.createOutbox(topic))
                        .thenCompose(created -> store(account, topic))
                        .thenCompose(stored -> stored ? CompletableFuture.completedFuture(topic)
                                : catalog.topic(qualified).thenApply(raced -> raced.orElse(topic)));
            }).thenApply(topic1 -> {
                topologyChanged.run();
                return arn(qualified).toString();
            });
        });
    }

    /**
     * Completes when {@code account} owns fewer topics than its quota (TopicLimitExceeded otherwise, before anything is
     * written). Counted from the catalog before the create: two creates racing on two nodes may both take the last
     * slot, so an account can exceed its quota by the creates that raced.
     */
    private CompletableFuture<Void> withinTopicQuota(String account, String qualified) {
        long quota = access.topicQuota(account);
        if (quota <= 0 || qualified.indexOf('/') < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return countTopics(account + "/", null, 0, quota).thenAccept(count -> {
            if (count >= quota) {
                throw SnsError.TOPIC_LIMIT_EXCEEDED.exception("Topic limit exceeded: account " + account + " owns " + count
                        + " topics, its quota");
            }
        });
    }

    /**
     * Stores the new topic (true; false when a create of the same name came first). With exact count quotas (feature
     * level 2) the quota is checked again in the catalog write itself, so of creates racing for the last slot one
     * wins; a refused one deletes the outbox it made (the orphan reaper removes it if that fails) and answers
     * TopicLimitExceeded, leaving no topic.
     */
    private CompletableFuture<Boolean> store(String account, Topic topic) {
        long quota = access.topicQuota(account);
        if (quota <= 0 || topic.name().indexOf('/') < 0) {
            return catalog.createTopic(topic);
        }
        return access.exactCountQuotas().thenCompose(exact -> !exact ? catalog.createTopic(topic)
                : catalog.createTopicWithin(topic, account + "/", quota).thenCompose(claim -> switch (claim) {
                    case STORED -> CompletableFuture.completedFuture(true);
                    case EXISTS -> CompletableFuture.completedFuture(false);
                    case FULL -> queues.delete(InternalQueues.outboxName(topic)).handle((deleted, failed) -> {
                        throw SnsError.TOPIC_LIMIT_EXCEEDED.exception("Topic limit exceeded: account " + account
                                + " owns " + quota + " topics, its quota");
                    });
                }));
    }

    private CompletableFuture<Long> countTopics(String prefix, String startAfter, long before, long quota) {
        return catalog.topicPage(prefix, startAfter, Page.SIZE).thenCompose(page -> {
            long count = before + page.entries().size();
            if (count >= quota || !page.more() || page.entries().isEmpty()) {
                return CompletableFuture.completedFuture(count);
            }
            return countTopics(prefix, page.entries().get(page.entries().size() - 1).key(), count, quota);
        });
    }

    private Map<String, String> checkCreate(String name, Map<String, String> attributes) {
        if (!TopicArn.validName(name)) {
            throw SnsError.invalidParameter("Topic Name");
        }
        Map<String, String> settable = new TreeMap<>();
        String fifoTopic = attributes.getOrDefault("FifoTopic", "false");
        if (!fifoTopic.equalsIgnoreCase("true") && !fifoTopic.equalsIgnoreCase("false")) {
            throw SnsError.invalidParameter("Attributes Reason: FifoTopic must be true or false");
        }
        boolean fifo = fifoTopic.equalsIgnoreCase("true");
        if (fifo != name.endsWith(".fifo")) {
            throw SnsError.invalidParameter("Fifo Topic names must end with .fifo and must be made up of only uppercase "
                    + "and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 "
                    + "characters long.");
        }
        attributes.forEach((attribute, value) -> {
            if (attribute.equals("FifoTopic")) {
                return;
            }
            checkSettable(attribute, value, fifo);
            settable.put(attribute, value);
        });
        return settable;
    }

    void checkSettable(String attribute, String value, boolean fifo) {
        if (!SETTABLE.contains(attribute)) {
            throw SnsError.invalidParameter("AttributeName");
        }
        AttributeLimits.check(attribute, value);
        switch (attribute) {
            case "ContentBasedDeduplication" -> {
                if (!fifo) {
                    throw SnsError.invalidParameter("Attributes Reason: ContentBasedDeduplication is only for FIFO topics");
                }
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw SnsError.invalidParameter("Attributes Reason: ContentBasedDeduplication must be true or false");
                }
            }
            case "SignatureVersion" -> {
                if (!value.equals("1") && !value.equals("2")) {
                    throw SnsError.invalidParameter("Attributes Reason: SignatureVersion must be 1 or 2");
                }
            }
            case "TracingConfig" -> {
                if (!value.equals("PassThrough") && !value.equals("Active")) {
                    throw SnsError.invalidParameter("Attributes Reason: TracingConfig must be PassThrough or Active");
                }
            }
            case "DeliveryPolicy" -> {
                if (!value.isEmpty()) {
                    DeliveryPolicy.checkTopicPolicy(value);
                }
            }
            case "Policy" -> access.validate(value);
            case "DataProtectionPolicy" -> checkJson(attribute, value);
            case "DisplayName" -> {
                if (value.length() > 100) {
                    throw SnsError.invalidParameter("DisplayName: at most 100 characters");
                }
            }
            default -> { }
        }
    }

    private static void checkJson(String attribute, String value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            if (!JSON.readTree(value).isObject()) {
                throw SnsError.invalidParameter(attribute + ": must be a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw SnsError.invalidParameter(attribute + ": not valid JSON");
        }
    }

    /** Deletes the topic, its subscriptions and their internal queues; deleting a missing topic succeeds. */
    public CompletableFuture<Void> deleteTopic(String topicArn) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            return catalog.topic(key(arn)).thenCompose(found -> {
                if (found.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                Topic topic = found.get();
                return catalog.deleteTopic(topic.name())
                        .thenCompose(deleted -> catalog.subscriptionsOf(topic.name()))
                        .thenCompose(subscriptions -> Futures.all(subscriptions.stream()
                                .map(this::deleteSubscriptionState).toList()))
                        .thenCompose(done -> queues.delete(InternalQueues.outboxName(topic)))
                        .thenRun(topologyChanged);
            });
        });
    }

    CompletableFuture<Void> deleteSubscriptionState(Subscription subscription) {
        String owner = subscription.ownerAccount(queues.accountId());
        // Then its quota slot (if it has one): a slot left behind keeps the owner one under its quota, never over.
        CompletableFuture<Boolean> deleted = catalog.deleteSubscription(subscription).thenCompose(done -> owner.equals(queues.accountId())
                ? CompletableFuture.completedFuture(done)
                : catalog.releaseSubscriptionSlot(NotifyCatalog.subscriptionSlot(owner, subscription.topicName(),
                        subscription.protocol(), subscription.endpoint())).handle((released, failed) -> done));
        return subscription.push()
                ? deleted.thenCompose(done -> queues.delete(InternalQueues.deliveryName(subscription)))
                : deleted.thenApply(done -> null);
    }

    /**
     * A page of {@code account}'s topics. The default account's bare names sort among the other accounts' keys, so
     * its page may hold fewer topics than a page's size and still name a next one (SNS's pages may).
     */
    public CompletableFuture<Page<String>> listTopics(String account, String nextToken) {
        String prefix = account.equals(queues.accountId()) ? "" : account + "/";
        return topicPage(prefix, nextToken, arn -> arn.accountId().equals(account));
    }

    /** A page of every account's topics: what an operator's console lists. */
    public CompletableFuture<Page<String>> listAllTopics(String nextToken) {
        return topicPage("", nextToken, arn -> true);
    }

    private CompletableFuture<Page<String>> topicPage(String prefix, String nextToken,
            java.util.function.Predicate<TopicArn> shown) {
        return Futures.of(() -> catalog.topicPage(prefix, Page.resumeAfter(nextToken), Page.SIZE).thenApply(page -> {
            List<String> arns = page.entries().stream().map(entry -> arn(entry.key())).filter(shown)
                    .map(TopicArn::toString).toList();
            String token = page.more() && !page.entries().isEmpty()
                    ? Page.token(page.entries().get(page.entries().size() - 1).key()) : null;
            return new Page<>(arns, token);
        }));
    }

    /** The topic or NotFound. */
    CompletableFuture<Topic> require(TopicArn arn) {
        return catalog.topic(key(arn)).thenApply(found -> found.orElseThrow(TopicActions::topicNotFound));
    }

    static RuntimeException topicNotFound() {
        return SnsError.NOT_FOUND.exception("Topic does not exist");
    }

    public CompletableFuture<Map<String, String>> getTopicAttributes(String topicArn) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            return require(arn).thenCompose(topic -> catalog.subscriptionsOf(topic.name()).thenApply(subscriptions -> {
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("TopicArn", arn.toString());
                attributes.put("Owner", arn.accountId());
                attributes.put("Policy", defaultPolicy(arn));
                attributes.put("DisplayName", "");
                attributes.put("SignatureVersion", "1");
                attributes.putAll(topic.attributes());
                long confirmed = subscriptions.stream().filter(Subscription::confirmed).count();
                attributes.put("SubscriptionsConfirmed", String.valueOf(confirmed));
                attributes.put("SubscriptionsPending", String.valueOf(subscriptions.size() - confirmed));
                attributes.put("SubscriptionsDeleted", "0");
                attributes.put("EffectiveDeliveryPolicy", DeliveryPolicy.effective(null,
                        topic.attributes().get("DeliveryPolicy"), "http").toTopicJson());
                attributes.put("FifoTopic", String.valueOf(topic.fifo()));
                if (topic.fifo()) {
                    attributes.putIfAbsent("ContentBasedDeduplication", "false");
                }
                return attributes;
            }));
        });
    }

    private String defaultPolicy(TopicArn arn) {
        return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:Publish\",\"SNS:Subscribe\","
                + "\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:DeleteTopic\",\"SNS:ListSubscriptionsByTopic\"],"
                + "\"Resource\":\"" + arn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\""
                + arn.accountId() + "\"}}}]}";
    }

    public CompletableFuture<Void> setTopicAttributes(String topicArn, String attributeName, String attributeValue) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            if (attributeName == null || attributeName.isEmpty()) {
                throw SnsError.invalidParameter("AttributeName");
            }
            String value = attributeValue == null ? "" : attributeValue;
            return catalog.updateTopic(key(arn), topic -> {
                checkSettable(attributeName, value, topic.fifo());
                return topic.withAttribute(attributeName, value);
            }, TopicActions::topicNotFound).thenApply(updated -> null);
        });
    }

    public CompletableFuture<Void> tagResource(String resourceArn, Map<String, String> tags) {
        return Futures.of(() -> {
            checkTags(tags);
            return catalog.updateTopic(taggedTopicName(resourceArn), topic -> {
                Map<String, String> merged = new TreeMap<>(topic.tags());
                merged.putAll(tags);
                if (merged.size() > MAX_TAGS) {
                    throw SnsError.TAG_LIMIT_EXCEEDED.exception("Could not complete request: tag quota of per resource exceeded");
                }
                return topic.withTags(merged);
            }, TopicActions::resourceNotFound).thenApply(updated -> null);
        });
    }

    public CompletableFuture<Void> untagResource(String resourceArn, List<String> tagKeys) {
        return Futures.of(() -> catalog.updateTopic(taggedTopicName(resourceArn), topic -> {
            Map<String, String> remaining = new TreeMap<>(topic.tags());
            tagKeys.forEach(remaining::remove);
            return topic.withTags(remaining);
        }, TopicActions::resourceNotFound).thenApply(updated -> null));
    }

    public CompletableFuture<Map<String, String>> listTagsForResource(String resourceArn) {
        return Futures.of(() -> taggedTopic(resourceArn).thenApply(Topic::tags));
    }

    private CompletableFuture<Topic> taggedTopic(String resourceArn) {
        return catalog.topic(taggedTopicName(resourceArn)).thenApply(found -> found.orElseThrow(TopicActions::resourceNotFound));
    }

    private String taggedTopicName(String resourceArn) {
        return key(TopicArn.parse(resourceArn).orElseThrow(() -> SnsError.invalidParameter("ResourceArn")));
    }

    private static RuntimeException resourceNotFound() {
        return SnsError.RESOURCE_NOT_FOUND.exception("Resource does not exist");
    }

    private static void checkTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw SnsError.TAG_LIMIT_EXCEEDED.exception("Could not complete request: tag quota of per resource exceeded");
        }
        tags.forEach((key, value) -> {
            if (!TAG_KEY.matcher(key).matches() || key.startsWith("aws:") || !AttributeLimits.allowedCharacters(key)) {
                throw SnsError.invalidParameter("Tags Reason: tag key " + AttributeLimits.shown(key) + " is invalid");
            }
            if (value.length() > 256) {
                throw SnsError.invalidParameter("Tags Reason: tag value for " + key + " is longer than 256");
            }
            if (!AttributeLimits.allowedCharacters(value)) {
                throw SnsError.invalidParameter("Tags Reason: tag value for " + key + " contains characters that are not allowed");
            }
        });
    }
}
