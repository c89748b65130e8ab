package dev.sluice.broker.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.ReservedQueueNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;

/**
 * Internal queues are in no tenant's list, and no page of one gives them away: not by its NextToken (which carries
 * the last name of its page) nor by pages that come back empty because everything on them was internal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InternalQueueListingIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
        // Each topic has an internal outbox, named sluice-internal-topic-<id>: between the two tenant queues.
        for (int i = 0; i < 3; i++) {
            int topic = i;
            sns.createTopic(b -> b.name("listing-" + topic));
        }
        server.sqs().createQueue(b -> b.queueName("a-listed"));
        server.sqs().createQueue(b -> b.queueName("z-listed"));
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    @Test
    void aPrefixOfTheInternalQueuesListsNothingAndGivesNoNextToken() {
        ListQueuesResponse page = server.sqs().listQueues(b -> b.queueNamePrefix("sluice-internal").maxResults(1));
        assertTrue(page.queueUrls().isEmpty(), page.toString());
        assertNull(page.nextToken(), page.toString());
    }

    @Test
    void pagesOfOneNeverComeBackEmptyNorCarryAnInternalQueuesNameInTheirNextToken() {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String after = token;
            ListQueuesResponse page = server.sqs().listQueues(b -> b.maxResults(1).nextToken(after));
            token = page.nextToken();
            assertEquals(1, page.queueUrls().size(), page.toString());
            page.queueUrls().forEach(url -> names.add(url.substring(url.lastIndexOf('/') + 1)));
            String shown = token;
            assertFalse(token != null && decoded(token).contains(ReservedQueueNames.PREFIX), () -> shown + " -> " + decoded(shown));
        } while (token != null);
        assertEquals(List.of("a-listed", "z-listed"), names);
        assertEquals(2, server.sqs().listQueues().queueUrls().size());
    }

    /** A token's text if it is base64url (as Sluice's are), else the token itself. */
    private static String decoded(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return token;
        }
    }
}
