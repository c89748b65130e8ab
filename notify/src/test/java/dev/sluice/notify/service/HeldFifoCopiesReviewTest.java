package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Review of fifodlq's HeldFifoCopies. FAILS on integ15 (the proof): its map is in insertion order, so a message held
 * again (its group still failing, retried every 20 s for days) keeps the place of its first hold and is the first one
 * forgotten when the map is full, though it was held last. Its next retry then goes to every matching subscription:
 * the subscribers that stored their copies long ago (past their 5-minute deduplication window) get them again.
 */
class HeldFifoCopiesReviewTest {
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
