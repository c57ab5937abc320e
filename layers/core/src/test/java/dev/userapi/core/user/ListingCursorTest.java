package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.Cursors;
import dev.userapi.core.problem.InvalidRequestException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sharded listing's cursor: round trip and every way a cursor may not be accepted. */
class ListingCursorTest {
    private static final String LISTING = "USERS/*";

    @Test
    void aCursorRoundTrips_opaquely() {
        String cursor = new ListingCursor(LISTING, "bob@example.com#u2", 0b1000_0000_0000_0101L).encode();

        assertThat(cursor).matches("[A-Za-z0-9_-]+").doesNotContain("bob");
        ListingCursor back = ListingCursor.decode(cursor, LISTING, Optional.empty(), 16);
        assertThat(back).isEqualTo(new ListingCursor(LISTING, "bob@example.com#u2", 0b1000_0000_0000_0101L));
        assertThat(back.isDone(0)).isTrue();
        assertThat(back.isDone(1)).isFalse();
        assertThat(back.isDone(15)).isTrue();
    }

    @Test
    void aCursorWithinThePrefix_isAccepted() {
        String cursor = new ListingCursor(LISTING, "bob@example.com#u2", 0).encode();
        assertThat(ListingCursor.decode(cursor, LISTING, Optional.of("bo"), 2).after()).isEqualTo("bob@example.com#u2");
    }

    @Test
    void aCursorOfAnotherListing_isRefused() {
        String cursor = new ListingCursor("ROLE#support/*", "bob@example.com#u2", 0).encode();
        assertThatThrownBy(() -> ListingCursor.decode(cursor, LISTING, Optional.empty(), 16)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aPositionOutsideThePrefix_isRefused() {
        // DynamoDB would answer a start key outside the key condition with a ValidationException (a 500): refuse it as a 400.
        String cursor = new ListingCursor(LISTING, "carl@example.com#u3", 0).encode();
        assertThatThrownBy(() -> ListingCursor.decode(cursor, LISTING, Optional.of("bo"), 2)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void doneBitsForShardsTheListingDoesNotHave_areRefused() {
        String cursor = new ListingCursor(LISTING, "bob@example.com#u2", 0b100).encode();
        assertThatThrownBy(() -> ListingCursor.decode(cursor, LISTING, Optional.empty(), 2)).isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@example.com", "#u2", "bob@example.com#", "bob\u0000@example.com#u2"})
    void aPositionThatIsNoListingKey_isRefused(String after) {
        String cursor = Cursors.encodeFields(Map.of("l", LISTING, "a", after, "d", "0"));
        assertThatThrownBy(() -> ListingCursor.decode(cursor, LISTING, Optional.empty(), 16)).isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "10000", "", "0x1", "F"})
    void malformedDoneBits_areRefused(String done) {
        String cursor = Cursors.encodeFields(Map.of("l", LISTING, "a", "bob@example.com#u2", "d", done));
        assertThatThrownBy(() -> ListingCursor.decode(cursor, LISTING, Optional.empty(), 16)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void extraOrMissingFields_andAlteredBytes_areRefused() {
        String extra = Cursors.encodeFields(Map.of("l", LISTING, "a", "bob@example.com#u2", "d", "0", "x", "1"));
        String missing = Cursors.encodeFields(Map.of("l", LISTING, "a", "bob@example.com#u2"));
        String good = new ListingCursor(LISTING, "bob@example.com#u2", 0).encode();
        String altered = good.substring(0, 3) + (good.charAt(3) == 'A' ? 'B' : 'A') + good.substring(4);
        for (String cursor : new String[] {extra, missing, altered, good + "!", "e30"}) {
            assertThatThrownBy(() -> ListingCursor.decode(cursor, LISTING, Optional.empty(), 16)).as(cursor)
                    .isInstanceOf(InvalidRequestException.class);
        }
    }
}
