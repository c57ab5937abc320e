package dev.userapi.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.JsonBody;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.ApiEvents;
import dev.userapi.core.user.ProfileChanges;

/**
 * Fuzz target for request bodies of every route. The property:
 * any input either parses or is refused with {@link InvalidRequestException} (a 400) — never another
 * exception (which would be a 500) and never a hang.
 *
 * <p>The test command replays the committed corpus and a short fuzzing run (see the surefire
 * configuration); {@code scripts/fuzz.sh} fuzzes for longer.
 */
class RequestBodyFuzzTest {

    @FuzzTest(maxExecutions = 100_000)
    @DictionaryEntries({"{", "}", "[", "]", ":", ",", "null", "true", "\"email\"", "\"password\"", "\"name\"", "\"roles\"",
            "\"code\"", "\"locale\"", "\"picture\"", "\"phoneNumber\"", "\"https://\"", "\"+4\"", "@example.com", "\\u0000", "\\ud800"})
    void everyRouteBody_parsesOrIsA400(FuzzedDataProvider data) {
        String contentType = data.pickValue(new String[] {"application/json", "application/json; charset=utf-8", "text/plain", ""});
        boolean base64 = data.consumeBoolean();
        String body = data.consumeRemainingAsString();
        var event = ApiEvents.post("/any", body);
        event.getHeaders().put("Content-Type", contentType);
        event.setIsBase64Encoded(base64);
        try {
            JsonBody parsed = new ApiRequest(event).body();
            // exercise every accessor a route uses
            for (String field : parsed.fieldNames()) {
                tryRead(() -> parsed.optionalString(field, 128));
                tryRead(() -> parsed.nullableString(field, 128));
                tryRead(() -> parsed.requiredEmail(field));
                tryRead(() -> parsed.requiredPassword(field));
                tryRead(() -> parsed.requiredCode(field));
                tryRead(() -> parsed.requiredStringList(field, 16, 64));
            }
            tryRead(() -> ProfileChanges.from(parsed));
            tryRead(() -> parsed.allowOnly("email", "password", "name"));
        } catch (InvalidRequestException expected) {
            // a 400 is a fine answer to any input
        }
    }

    private static void tryRead(Runnable read) {
        try {
            read.run();
        } catch (InvalidRequestException expected) {
            // refused as a 400
        }
    }
}
