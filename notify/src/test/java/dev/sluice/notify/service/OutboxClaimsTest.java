package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One topic's fanout pollers on a node divide what they read: a message a sibling claimed, or one a sibling's command
 * already moved out of the outbox, is not proposed again (its command would only be skipped, an entry for nothing).
 */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class OutboxClaimsTest {
    @Test
    void aMessageASiblingClaimedIsNotClaimedAgainUntilReleased() {
        OutboxClaims claims = new OutboxClaims();
        List<OutboxFanout.OutboxMessage> mine = claims.claim(messages(1, 2), 10);

        assertEquals(List.of(), seqs(claims.claim(messages(1, 2), 10)));
        claims.release(mine);
        assertEquals(List.of(1L, 2L), seqs(claims.claim(messages(1, 2), 10)), "left in the outbox: claimable again");
    }

    @Test
    void aReadAnsweredAfterASiblingsCommandTookItsMessagesClaimsOnlyTheOthers() {
        OutboxClaims claims = new OutboxClaims();
        List<OutboxFanout.OutboxMessage> sibling = claims.claim(messages(1, 2), 10);
        claims.gone(List.of(1L, 2L));
        claims.release(sibling);

        // A read made before the sibling's command applied, answered only now.
        assertEquals(List.of(3L), seqs(claims.claim(messages(1, 2, 3), 10)));
    }

    @Test
    void onlyTheLatestMessagesGoneAreRemembered() {
        OutboxClaims claims = new OutboxClaims();
        claims.gone(LongStream.rangeClosed(1, OutboxClaims.GONE_KEPT + 1).boxed().toList());

        assertEquals(List.of(1L), seqs(claims.claim(messages(1, 2, OutboxClaims.GONE_KEPT + 1), 10)));
    }

    private static List<OutboxFanout.OutboxMessage> messages(long... seqs) {
        return java.util.Arrays.stream(seqs).mapToObj(seq -> new OutboxFanout.OutboxMessage(seq, "id-" + seq, "{}",
                Map.of())).toList();
    }

    private static List<Long> seqs(List<OutboxFanout.OutboxMessage> messages) {
        return messages.stream().map(OutboxFanout.OutboxMessage::seq).toList();
    }
}
