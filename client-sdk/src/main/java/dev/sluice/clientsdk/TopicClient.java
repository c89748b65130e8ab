package dev.sluice.clientsdk;

import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Java client for the SNS API of Sluice (or Amazon SNS): the Query protocol over HTTP, signed with
 * SigV4 for the {@code sns} service. Methods never block; futures fail with {@link SnsException} for SNS
 * errors (the {@link SnsError} of the answer's code) and with the I/O exception otherwise. Thread-safe.
 */
public final class TopicClient {
    private static final String VERSION = "2010-03-31";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final SigV4Signer signer;
    private final AwsCredentials credentials;
    private final HttpClient http;
    private final InstantSource clock;

    /**
     * @param endpoint the server's base URL, e.g. {@code http://127.0.0.1:9324}
     * @param region the region to sign for
     */
    public TopicClient(URI endpoint, String region, AwsCredentials credentials, HttpClient http, InstantSource clock) {
        this.endpoint = endpoint.getPath() == null || endpoint.getPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        this.signer = new SigV4Signer("sns", region);
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
    }

    /** Creates (or returns the existing) topic; completes with its ARN. */
    public CompletableFuture<String> createTopic(String name, Map<String, String> attributes) {
        Map<String, String> form = form("CreateTopic");
        form.put("Name", name);
        entries(form, "Attributes.entry", attributes);
        return call(form).thenApply(xml -> text(xml, "TopicArn"));
    }

    public CompletableFuture<Void> deleteTopic(String topicArn) {
        Map<String, String> form = form("DeleteTopic");
        form.put("TopicArn", topicArn);
        return call(form).thenApply(xml -> null);
    }

    /** Every topic ARN, following NextToken through all pages. */
    public CompletableFuture<List<String>> listTopics() {
        return listTopics(null, new ArrayList<>());
    }

    private CompletableFuture<List<String>> listTopics(String nextToken, List<String> into) {
        Map<String, String> form = form("ListTopics");
        if (nextToken != null) {
            form.put("NextToken", nextToken);
        }
        return call(form).thenCompose(xml -> {
            into.addAll(texts(xml, "TopicArn"));
            String next = text(xml, "NextToken");
            return next == null || next.isEmpty() ? CompletableFuture.completedFuture(into) : listTopics(next, into);
        });
    }

    public CompletableFuture<Map<String, String>> getTopicAttributes(String topicArn) {
        Map<String, String> form = form("GetTopicAttributes");
        form.put("TopicArn", topicArn);
        return call(form).thenApply(TopicClient::attributes);
    }

    /** Subscribes; completes with the subscription ARN (or "pending confirmation" for an unconfirmed endpoint). */
    public CompletableFuture<String> subscribe(String topicArn, String protocol, String endpointAddress,
            Map<String, String> attributes) {
        Map<String, String> form = form("Subscribe");
        form.put("TopicArn", topicArn);
        form.put("Protocol", protocol);
        form.put("Endpoint", endpointAddress);
        entries(form, "Attributes.entry", attributes);
        return call(form).thenApply(xml -> text(xml, "SubscriptionArn"));
    }

    public CompletableFuture<String> confirmSubscription(String topicArn, String token) {
        Map<String, String> form = form("ConfirmSubscription");
        form.put("TopicArn", topicArn);
        form.put("Token", token);
        return call(form).thenApply(xml -> text(xml, "SubscriptionArn"));
    }

    public CompletableFuture<Void> unsubscribe(String subscriptionArn) {
        Map<String, String> form = form("Unsubscribe");
        form.put("SubscriptionArn", subscriptionArn);
        return call(form).thenApply(xml -> null);
    }

    /** Publishes; {@code subject} may be null, {@code attributes} empty. Completes with the message id. */
    public CompletableFuture<String> publish(String topicArn, String message, String subject,
            Map<String, MessageAttributeValue> attributes) {
        Map<String, String> form = form("Publish");
        form.put("TopicArn", topicArn);
        form.put("Message", message);
        if (subject != null) {
            form.put("Subject", subject);
        }
        int index = 1;
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            String prefix = "MessageAttributes.entry." + index++ + ".";
            MessageAttributeValue value = attribute.getValue();
            form.put(prefix + "Name", attribute.getKey());
            form.put(prefix + "Value.DataType", value.dataType());
            if (value.binaryValue() != null) {
                form.put(prefix + "Value.BinaryValue", Base64.getEncoder().encodeToString(value.binaryValue()));
            } else {
                form.put(prefix + "Value.StringValue", value.stringValue());
            }
        }
        return call(form).thenApply(xml -> text(xml, "MessageId"));
    }

    private static Map<String, String> form(String action) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", VERSION);
        return form;
    }

    private static void entries(Map<String, String> form, String prefix, Map<String, String> values) {
        int index = 1;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            form.put(prefix + "." + index + ".key", entry.getKey());
            form.put(prefix + "." + index++ + ".value", entry.getValue());
        }
    }

    private CompletableFuture<Document> call(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        SigV4Signer.Signature signature = signer.sign("POST", endpoint, headers, bytes, credentials, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        signature.headers().forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            Document xml = parse(response.body());
            if (response.statusCode() >= 300) {
                String code = text(xml, "Code");
                throw new SnsException(SnsError.ofCode(code), code + ": " + text(xml, "Message"));
            }
            return xml;
        });
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new SnsException(SnsError.INTERNAL_ERROR, "unreadable SNS answer: " + e.getMessage());
        }
    }

    private static String text(Document xml, String tag) {
        NodeList nodes = xml.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static List<String> texts(Document xml, String tag) {
        NodeList nodes = xml.getElementsByTagName(tag);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static Map<String, String> attributes(Document xml) {
        Map<String, String> attributes = new LinkedHashMap<>();
        NodeList entries = xml.getElementsByTagName("entry");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            attributes.put(entry.getElementsByTagName("key").item(0).getTextContent(),
                    entry.getElementsByTagName("value").item(0).getTextContent());
        }
        return attributes;
    }
}
