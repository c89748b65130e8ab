package dev.sluice.faasbridge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.clientsdk.model.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BatchSettlementTest {

    private static Message message(String id, String group) {
        return new Message(id, "rh-" + id, null, "body-" + id, group == null ? Map.of() : Map.of("MessageGroupId", group), null, Map.of());
    }

    private static List<String> deleted(List<Message> batch, BatchVerdict verdict, boolean fifo) {
        return BatchSettlement.toDelete(batch, verdict, fifo).stream().map(Message::messageId).toList();
    }

    @Test
    void successDeletesTheWholeBatchAndFailureNothing() {
        List<Message> batch = List.of(message("a", null), message("b", null));
        assertEquals(List.of("a", "b"), deleted(batch, BatchVerdict.allSucceeded(), false));
        assertEquals(List.of(), deleted(batch, BatchVerdict.allFailed("x"), false));
    }

    @Test
    void onAStandardQueueOnlyTheFailedMessagesStay() {
        List<Message> batch = List.of(message("a", null), message("b", null), message("c", null));
        assertEquals(List.of("a", "c"), deleted(batch, BatchVerdict.partial(Set.of("b")), false));
    }

    @Test
    void onAFifoQueueAFailedMessageKeepsEveryLaterMessageOfItsGroup() {
        List<Message> batch = List.of(message("a1", "A"), message("b1", "B"), message("a2", "A"), message("a3", "A"),
                message("b2", "B"), message("c1", "C"));
        assertEquals(List.of("a1", "b1", "b2", "c1"), deleted(batch, BatchVerdict.partial(Set.of("a2")), true));
        assertEquals(List.of("a1", "a2", "a3", "c1"), deleted(batch, BatchVerdict.partial(Set.of("b1")), true));
    }

    @Test
    void earlierMessagesOfAFailedGroupAreStillDeleted() {
        List<Message> batch = List.of(message("a1", "A"), message("a2", "A"));
        assertEquals(List.of("a1"), deleted(batch, BatchVerdict.partial(Set.of("a2")), true));
    }
}
