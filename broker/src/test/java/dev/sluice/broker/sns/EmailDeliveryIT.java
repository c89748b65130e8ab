package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.raftstore.testing.FreePorts;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;

/** Email subscriptions through a real SMTP server (GreenMail): confirmation mail, then notifications. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmailDeliveryIT {
    @TempDir
    Path data;

    @Test
    void anEmailSubscriptionIsConfirmedByItsLinkAndThenReceivesNotifications() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withNotifications(config.notifications()
                .withSmtpServer(Optional.of("127.0.0.1:" + smtp.getSmtp().getPort())).withSmtpFrom("sns@sluice.test")));
                SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("mailed")).topicArn();
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("email")
                    .endpoint("not-an-address")));
            InvalidParameterException raw = assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b
                    .topicArn(topic).protocol("email").endpoint("ops@example.com")
                    .attributes(java.util.Map.of("RawMessageDelivery", "true"))));
            assertEquals("Invalid parameter: Delivery protocol [email] does not support raw message delivery.",
                    raw.awsErrorDetails().errorMessage());
            assertEquals("pending confirmation", sns.subscribe(b -> b.topicArn(topic).protocol("email")
                    .endpoint("ops@example.com")).subscriptionArn());
            assertTrue(smtp.waitForIncomingEmail(15_000, 1));
            MimeMessage confirmation = smtp.getReceivedMessages()[0];
            assertEquals("AWS Notification - Subscription Confirmation", confirmation.getSubject());
            assertEquals("ops@example.com", confirmation.getAllRecipients()[0].toString());
            Matcher link = Pattern.compile("(http://\\S+Action=ConfirmSubscription\\S+)").matcher(
                    (String) confirmation.getContent());
            assertTrue(link.find());
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            sns.publish(b -> b.topicArn(topic).message("the disk is full é").subject("Disk alert"));
            assertTrue(smtp.waitForIncomingEmail(15_000, 2));
            MimeMessage notification = smtp.getReceivedMessages()[1];
            assertEquals("Disk alert", notification.getSubject());
            assertEquals("sns@sluice.test", notification.getFrom()[0].toString());
            assertTrue(((String) notification.getContent()).startsWith("the disk is full é"));
        } finally {
            smtp.stop();
        }
    }

    @Test
    void withoutAnSmtpServerEmailSubscriptionsAreRefused() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data); SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("unmailed")).topicArn();
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("email")
                    .endpoint("ops@example.com")));
        }
    }
}
