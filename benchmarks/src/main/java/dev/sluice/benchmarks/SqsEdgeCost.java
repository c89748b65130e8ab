package dev.sluice.benchmarks;

import dev.sluice.broker.api.sqs.SqsEndpoint;
import dev.sluice.broker.api.sqs.SqsHttpRequest;
import dev.sluice.broker.api.sqs.SqsHttpResponse;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.broker.service.SqsValidator;
import dev.sluice.broker.service.ValidatingQueueClient;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequest;
import dev.sluice.clientsdk.model.DeleteMessageBatchResponse;
import dev.sluice.clientsdk.model.DeleteMessageBatchResultEntry;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageResponse;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchResponse;
import dev.sluice.clientsdk.model.SendMessageBatchResultEntry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The CPU and allocation of the SQS edge for one round of the hot path, in process and on one thread (thread CPU
 * time, so other processes on a shared machine do not count): the SendMessageBatch of 10 × 200 bytes, the
 * ReceiveMessage that returns them and the DeleteMessageBatch that removes them, as the AWS SDK v2 sends them (JSON
 * 1.0), each through {@link SqsEndpoint} and {@link ValidatingQueueClient}: decode, shape check, validation, MD5s,
 * encode. The engine behind is a canned answer (no Raft, no storage), so the figures are the edge's alone.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.SqsEdgeCost [iterations] [repetitions]</pre>
 *
 * Prints one JSON line per repetition and the median; compare two builds by running this class against each.
 */
public final class SqsEdgeCost {
    private static final int MESSAGES = 10;
    private static final String QUEUE_URL = "http://127.0.0.1:9324/000000000000/bench-e2e";

    private SqsEdgeCost() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        SqsLimits limits = SqsLimits.defaults();
        SqsEndpoint endpoint = new SqsEndpoint(new ValidatingQueueClient(cannedEngine(),
                new SqsValidator(limits, new QueueAttributeCodec(limits.queueAttributeBounds()))), () -> "request-1");
        List<SqsHttpRequest> round = List.of(
                json("SendMessageBatch", sendBatchBody()),
                json("ReceiveMessage", "{\"QueueUrl\":\"" + QUEUE_URL + "\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":1,"
                        + "\"MessageSystemAttributeNames\":[\"All\"],\"MessageAttributeNames\":[\"All\"]}"),
                json("DeleteMessageBatch", deleteBatchBody()));
        Runnable work = () -> {
            for (SqsHttpRequest request : round) {
                SqsHttpResponse response = endpoint.handle(request).join();
                if (response.status() != 200) {
                    throw new IllegalStateException(request.amzTarget() + " answered " + response.status() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
            }
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AccessCheckCost.cpu(threads, iterations, work); // warm-up: the JIT compiles the path before it is timed
        double[] nanosPerMessage = new double[repetitions];
        for (int repetition = 0; repetition < repetitions; repetition++) {
            long[] cpuAndBytes = AccessCheckCost.cpu(threads, iterations, work);
            nanosPerMessage[repetition] = (double) cpuAndBytes[0] / iterations / MESSAGES;
            System.out.printf(Locale.ROOT, "{\"benchmark\":\"sqs-edge-cost\",\"repetition\":%d,\"rounds\":%d,"
                    + "\"cpuMsPer1kMsgs\":%.2f,\"allocatedBytesPerMsg\":%d}%n", repetition + 1, iterations,
                    nanosPerMessage[repetition] / 1000, cpuAndBytes[1] / iterations / MESSAGES);
        }
        Arrays.sort(nanosPerMessage);
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"sqs-edge-cost\",\"medianCpuMsPer1kMsgs\":%.2f}%n",
                nanosPerMessage[repetitions / 2] / 1000);
    }

    private static SqsHttpRequest json(String action, String body) {
        return new SqsHttpRequest("POST", "application/x-amz-json-1.0", "AmazonSQS." + action, null,
                body.getBytes(StandardCharsets.UTF_8), "http://127.0.0.1:9324", null, null);
    }

    private static String sendBatchBody() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < MESSAGES; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"Id\":\"m").append(i).append("\",\"MessageBody\":\"")
                    .append(MessageBody.encode("edge", 1_000_000L + i, 200)).append("\"}");
        }
        return "{\"QueueUrl\":\"" + QUEUE_URL + "\",\"Entries\":[" + entries + "]}";
    }

    private static String deleteBatchBody() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < MESSAGES; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"Id\":\"d").append(i).append("\",\"ReceiptHandle\":\"")
                    .append(receiptHandle(i)).append("\"}");
        }
        return "{\"QueueUrl\":\"" + QUEUE_URL + "\",\"Entries\":[" + entries + "]}";
    }

    private static String receiptHandle(int i) {
        return "AQEB" + "r".repeat(60) + i;
    }

    /** An engine that accepts every send and delete and receives the same 10 messages: the edge is what is timed. */
    private static QueueClient cannedEngine() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            messages.add(new Message("00000000-0000-4000-8000-00000000000" + i, receiptHandle(i), null,
                    MessageBody.encode("edge", 1_000_000L + i, 200), Map.of("SentTimestamp", "1700000000000", "ApproximateReceiveCount", "1"),
                    null, Map.of()));
        }
        ReceiveMessageResponse received = new ReceiveMessageResponse(messages);
        return (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(), new Class<?>[] {QueueClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "sendMessageBatch" -> CompletableFuture.completedFuture(new SendMessageBatchResponse(
                            ((SendMessageBatchRequest) args[0]).entries().stream().map(entry -> new SendMessageBatchResultEntry(
                                    entry.id(), "00000000-0000-4000-8000-" + entry.id(), null, null, null, null)).toList(),
                            List.of()));
                    case "receiveMessage" -> CompletableFuture.completedFuture(received);
                    case "deleteMessageBatch" -> CompletableFuture.completedFuture(new DeleteMessageBatchResponse(
                            ((DeleteMessageBatchRequest) args[0]).entries().stream()
                                    .map(entry -> new DeleteMessageBatchResultEntry(entry.id())).toList(), List.of()));
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "canned engine";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
