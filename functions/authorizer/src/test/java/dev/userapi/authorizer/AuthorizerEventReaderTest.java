package dev.userapi.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthorizerCodec#readPlainEvent}, the one-pass reader of the event's usual shape: whatever the input, the event
 * read is the one Jackson reads ({@link AuthorizerCodec#readEventWithJackson}), or the plain reader declines and
 * Jackson reads it.
 */
class AuthorizerEventReaderTest {
    private static final String ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/me";
    private static final String EVENT = "{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer abc.def_-ghi\",\"methodArn\":\"" + ARN + "\"}";

    private static String describe(APIGatewayCustomAuthorizerEvent event) {
        return event == null ? "null" : event.getType() + "|" + event.getAuthorizationToken() + "|" + event.getMethodArn();
    }

    private static void assertSameAsJackson(byte[] raw) {
        APIGatewayCustomAuthorizerEvent plain = AuthorizerCodec.readPlainEvent(raw);
        APIGatewayCustomAuthorizerEvent jackson = AuthorizerCodec.readEventWithJackson(raw);
        if (plain != null) {
            assertThat(describe(plain)).as(new String(raw, StandardCharsets.ISO_8859_1)).isEqualTo(describe(jackson));
        }
        assertThat(describe(AuthorizerCodec.readEvent(new java.io.ByteArrayInputStream(raw))))
                .as(new String(raw, StandardCharsets.ISO_8859_1)).isEqualTo(describe(jackson));
    }

    @Test
    void theUsualEvent_isReadInOnePass_asJacksonReadsIt() {
        for (String event : List.of(EVENT,
                " {\n\t\"methodArn\" : \"" + ARN + "\" ,\r\n \"type\":\"TOKEN\", \"authorizationToken\":\"Bearer x\"} \n",
                "{\"authorizationToken\":\"Bearer x\"}", "{\"type\":\"\"}")) {
            byte[] raw = event.getBytes(StandardCharsets.UTF_8);
            assertThat(AuthorizerCodec.readPlainEvent(raw)).as(event).isNotNull();
            assertSameAsJackson(raw);
        }
    }

    @Test
    void anythingElse_isLeftToJackson() {
        for (String event : List.of("{}", "[]", "", " ", "null", "{\"type\":\"TOKEN\"} x", "{\"type\":\"TOKEN\",}",
                "{\"type\":\"TOKEN\",\"type\":\"TOKEN\"}", "{\"type\":\"TOK\\u0045N\"}", "{\"typ\\u0065\":\"TOKEN\"}",
                "{\"type\":\"caf\u00e9\"}", "{\"type\":1}", "{\"type\":null}", "{\"other\":\"x\"}", "{\"type\":\"TOKEN\"",
                "{\"type\" \"TOKEN\"}", "{'type':'TOKEN'}", "\uFEFF{\"type\":\"TOKEN\"}", "{\"type\":\"a\u007fb\"}",
                "{\"type\":\"a\tb\"}", "{\"type\":\"TOKEN\"}{}", "{\"type\":\"TOKEN\"} /* */")) {
            byte[] raw = event.getBytes(StandardCharsets.UTF_8);
            assertThat(AuthorizerCodec.readPlainEvent(raw)).as(event).isNull();
            assertSameAsJackson(raw);
        }
    }

    @Test
    void everySingleByteChangeOfTheUsualEvent_isReadAsJacksonReadsIt() {
        byte[] event = EVENT.getBytes(StandardCharsets.UTF_8);
        byte[] replacements = {'"', '\\', ',', ':', '{', '}', ' ', '\n', 'a', 0, 0x1f, 0x7f, (byte) 0xc3, (byte) 0xff, '[', '0'};
        List<byte[]> variants = new ArrayList<>();
        for (int i = 0; i < event.length; i++) {
            for (byte b : replacements) {
                byte[] changed = event.clone();
                changed[i] = b;
                variants.add(changed);
            }
            byte[] removed = new byte[event.length - 1];
            System.arraycopy(event, 0, removed, 0, i);
            System.arraycopy(event, i + 1, removed, i, event.length - i - 1);
            variants.add(removed);
            variants.add(Arrays.copyOf(event, i)); // truncated
        }
        variants.forEach(AuthorizerEventReaderTest::assertSameAsJackson);
    }

    @FuzzTest(maxExecutions = 10_000)
    @DictionaryEntries({"{", "}", "\"", ":", ",", "\\", "\"type\"", "\"authorizationToken\"", "\"methodArn\"", "\"TOKEN\"",
        "\"Bearer ", "\\u0041", " ", "null", "[", "]"})
    void anyInput_theEventReadIsJacksons(FuzzedDataProvider data) {
        assertSameAsJackson(data.consumeRemainingAsBytes());
    }
}
