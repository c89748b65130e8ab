package dev.sluice.benchmarks;

import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.auth.SigV4Verifier;
import dev.sluice.broker.auth.SignedRequest;
import dev.sluice.broker.auth.Verdict;
import dev.sluice.broker.auth.policy.AccessRequest;
import dev.sluice.broker.auth.policy.Decision;
import dev.sluice.broker.auth.policy.KeyPolicies;
import dev.sluice.broker.auth.policy.PolicyAccessCheck;
import dev.sluice.broker.auth.policy.PolicyCache;
import dev.sluice.broker.auth.policy.RequestContext;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CPU one request spends in authentication and the access check, in process and on one thread (so other
 * processes on a shared machine do not count): SigV4 verification of a signed SendMessageBatch (10 × 200 bytes,
 * JSON protocol) and the IAM decision on a queue with a two-statement Policy (an Allow for the key's account, a
 * Deny with a NotIpAddress condition), as {@code AccountQueueClient} makes it; a key with and without a managed
 * policy. Prints thread CPU nanoseconds per request and per 1,000 messages (10 per batch).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.AccessCheckCost [iterations]</pre>
 */
public final class AccessCheckCost {
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:bench-e2e";
    private static final int MESSAGES_PER_REQUEST = 10;

    private AccessCheckCost() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Instant now = Instant.now();
        SignedRequest signed = signedBatch(now);
        SigV4Verifier verifier = new SigV4Verifier(Map.of("AKIDBENCHAPP", "bench-app-secret-1234"), InstantSource.fixed(now));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"000000000000\"},\"Action\":\"sqs:*\",\"Resource\":\"" + QUEUE + "\"},{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"" + QUEUE + "\",\"Condition\":{\"NotIpAddress\":"
                + "{\"aws:SourceIp\":\"127.0.0.0/8\"}}}]}";
        PolicyAccessCheck noPolicies = new PolicyAccessCheck(KeyPolicies.NONE, new PolicyCache(1_000));
        PolicyAccessCheck producer = new PolicyAccessCheck(key -> List.of("Produce"), new PolicyCache(1_000));
        AccessRequest request = new AccessRequest(new Caller("000000000000", "AKIDBENCHAPP", false), "sqs:SendMessageBatch",
                QUEUE, "000000000000", RequestContext.direct("127.0.0.1", false));
        Optional<String> queuePolicy = Optional.of(policy);

        // Twice: the first pass warms the JIT, the second is reported.
        for (int pass = 0; pass < 2; pass++) {
            long[] verify = cpu(threads, iterations, () -> {
                if (!(verifier.verify(signed) instanceof Verdict.Verified)) {
                    throw new IllegalStateException("the benchmark's request did not verify");
                }
            });
            long[] decideNoPolicies = cpu(threads, iterations, () -> expectAllow(noPolicies.decide(request, queuePolicy)));
            long[] decideProducer = cpu(threads, iterations, () -> expectAllow(producer.decide(request, queuePolicy)));
            if (pass == 1) {
                report("sigv4-verify", verify, iterations);
                report("decide (key without policies, queue Policy of 2 statements)", decideNoPolicies, iterations);
                report("decide (key with Produce, queue Policy of 2 statements)", decideProducer, iterations);
            }
        }
    }

    private static void expectAllow(Decision decision) {
        if (decision != Decision.ALLOW) {
            throw new IllegalStateException("the benchmark's request was denied: " + decision);
        }
    }

    /** This thread's CPU nanoseconds and allocated bytes over {@code iterations} runs of {@code work}. */
    static long[] cpu(ThreadMXBean threads, int iterations, Runnable work) {
        var allocations = (com.sun.management.ThreadMXBean) threads;
        long thread = Thread.currentThread().getId();
        long startCpu = threads.getCurrentThreadCpuTime();
        long startBytes = allocations.getThreadAllocatedBytes(thread);
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        return new long[] {threads.getCurrentThreadCpuTime() - startCpu, allocations.getThreadAllocatedBytes(thread) - startBytes};
    }

    private static void report(String what, long[] cpuNanosAndBytes, int iterations) {
        double perRequest = (double) cpuNanosAndBytes[0] / iterations;
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"access-check-cost\",\"step\":\"%s\",\"iterations\":%d,"
                + "\"cpuNanosPerRequest\":%.0f,\"cpuMsPer1kMsgs\":%.3f,\"allocatedBytesPerRequest\":%d}%n", what,
                iterations, perRequest, perRequest * 1000 / MESSAGES_PER_REQUEST / 1_000_000,
                cpuNanosAndBytes[1] / iterations);
    }

    /** A SendMessageBatch of 10 × 200-byte bodies, signed as the AWS SDK signs it (JSON protocol). */
    private static SignedRequest signedBatch(Instant now) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < MESSAGES_PER_REQUEST; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"Id\":\"m").append(i).append("\",\"MessageBody\":\"")
                    .append("x".repeat(200)).append("\"}");
        }
        byte[] body = ("{\"QueueUrl\":\"http://127.0.0.1:9324/000000000000/bench-e2e\",\"Entries\":[" + entries + "]}")
                .getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:9324/");
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.0",
                "X-Amz-Target", "AmazonSQS.SendMessageBatch");
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.putAll(new SigV4Signer("sqs", "us-east-1").sign("POST", uri, headers, body,
                AwsCredentials.of("AKIDBENCHAPP", "bench-app-secret-1234"), now).headers());
        all.putIfAbsent("Host", "127.0.0.1:9324");
        Set<String> names = new java.util.HashSet<>();
        all.keySet().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        return new SignedRequest("POST", "/", null, name -> all.containsKey(name) ? List.of(all.get(name)) : List.of(),
                body, names);
    }
}
