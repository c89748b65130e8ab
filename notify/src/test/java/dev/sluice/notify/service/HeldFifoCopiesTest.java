package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When full, HeldFifoCopies forgets the message held longest ago: a message held again (its group still failing,
 * retried every 20 s for days) is not the first forgotten, else its next retry would go to every matching subscription
 * and the subscribers that stored their copies long ago (past their 5-minute deduplication window) would get them
 * again (found in review: the map was in insertion order).
 */
class HeldFifoCopiesTest {
    @Test
    void aMessageHeldAgainIsNotTheFirstForgottenWhenTheMapIsFull() {
        HeldFifoCopies held = new HeldFifoCopies();
        held.held("long-held", List.of("refusing"));
        for (int i = 1; i < HeldFifoCopies.MAX_MESSAGES; i++) {
            held.held("m" + i, List.of("refusing"));
        }
        // The long-held message's group failed again: it is the most recently held message now.
        held.held("long-held", List.of("refusing"));
        held.held("one-more", List.of("refusing"));
        assertEquals(Optional.of(List.of("refusing")), held.owedBy("long-held"),
                "the message held last is forgotten first");
    }
}
