package dev.userapi.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.Emails;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.ApiEvents;
import java.util.Set;

/**
 * Fuzz target for headers and query values: If-Match, page cursors, e-mail filters. The property:
 * any input either parses or is refused with {@link InvalidRequestException} (a 400) — never another
 * exception (which would be a 500) and never a hang.
 *
 * <p>The test command replays the committed corpus and a short fuzzing run (see the surefire
 * configuration); {@code scripts/fuzz.sh} fuzzes for longer.
 */
class HeaderValuesFuzzTest {

    @FuzzTest(maxExecutions = 60_000)
    void headersAndQueryValues_parseOrAreA400(FuzzedDataProvider data) {
        String ifMatch = data.consumeString(64);
        String cursor = data.consumeString(4096);
        String email = data.consumeRemainingAsString();
        var event = ApiEvents.request("PATCH", "/me", null);
        event.getHeaders().put("If-Match", ifMatch);
        tryRead(() -> new ApiRequest(event).ifMatchVersion());
        tryRead(() -> Cursors.decode(cursor, Set.of("pk", "sk"), k -> true));
        Emails.normalize(email);
        Emails.normalizePrefix(email);
    }

    private static void tryRead(Runnable read) {
        try {
            read.run();
        } catch (InvalidRequestException expected) {
            // refused as a 400
        }
    }
}
