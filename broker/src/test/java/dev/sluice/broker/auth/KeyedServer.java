package dev.sluice.broker.auth;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A server with one access key, the raw client and signer for hostile requests, and signed SDK clients that tell
 * whether a queue or topic exists (so a test can show a refused request did not run).
 */
final class KeyedServer implements AutoCloseable {
    final SqsTestServer server;
    final RawHttp raw;
    final RawSigner signer;
    final SqsClient sqs;
    final SnsClient sns;

    KeyedServer(Path data, String accessKeyId, String secret) throws Exception {
        server = SqsTestServer.start(data, config -> config
                .withAuth(new SluiceConfig.Auth(List.of(new SluiceConfig.AccessKey(accessKeyId, secret)))));
        raw = new RawHttp(server.port());
        signer = new RawSigner(accessKeyId, secret, server.port());
        URI endpoint = URI.create("http://127.0.0.1:" + server.port());
        StaticCredentialsProvider keys = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(keys)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        sns = SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(keys)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    boolean queueExists(String name) {
        return sqs.listQueues(request -> request.queueNamePrefix(name)).queueUrls().stream()
                .anyMatch(url -> url.endsWith("/" + name));
    }

    boolean topicExists(String name) {
        return sns.listTopics().topics().stream().anyMatch(topic -> topic.topicArn().endsWith(":" + name));
    }

    @Override
    public void close() {
        sqs.close();
        sns.close();
        server.close();
    }
}
