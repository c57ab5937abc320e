package dev.userapi.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.ApiEvents;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {

    private static JsonBody parse(String body) {
        return new ApiRequest(ApiEvents.post("/auth/sign-up", body)).body();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("invalid JSON", "{\"email\":"),
                Arguments.of("not an object", "[1,2,3]"),
                Arguments.of("a bare string", "\"hello\""),
                Arguments.of("trailing garbage", "{\"email\":\"a@b.co\"} x"),
                Arguments.of("two values", "{} {}"),
                Arguments.of("duplicate keys", "{\"email\":\"a@b.co\",\"email\":\"c@d.co\"}"),
                Arguments.of("deep nesting", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"),
                Arguments.of("NaN", "{\"email\":NaN}"),
                Arguments.of("comments", "{/* x */\"email\":\"a@b.co\"}"),
                Arguments.of("single quotes", "{'email':'a@b.co'}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void malformedBodies_areInvalidRequests(String name, String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void bodyOver16KiB_isRefused() {
        String big = "{\"name\":\"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}";
        assertThatThrownBy(() -> parse(big)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("larger than");
    }

    @Test
    void bodyOf1MiB_isRefusedBeforeParsing() {
        String big = "{\"name\":\"" + "é".repeat(512 * 1024) + "\"}";
        assertThatThrownBy(() -> parse(big)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("larger than");
    }

    @Test
    void multiByteCharacters_countAsTheirUtf8Size() {
        String body = "{\"name\":\"" + "€".repeat(6000) + "\"}"; // 6000 chars, 18000 bytes
        assertThatThrownBy(() -> parse(body)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("larger than");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "", "application/jsonx"})
    void otherContentTypes_areRefused(String contentType) {
        var event = ApiEvents.post("/auth/sign-up", "{}");
        event.getHeaders().put("Content-Type", contentType);
        assertThatThrownBy(() -> new ApiRequest(event).body()).isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"})
    void jsonContentTypes_areAccepted(String contentType) {
        var event = ApiEvents.post("/auth/sign-up", "{}");
        event.getHeaders().remove("Content-Type");
        event.getHeaders().put("content-type", contentType);
        assertThat(new ApiRequest(event).body().fieldNames()).isEmpty();
    }

    @Test
    void base64Bodies_areDecodedAndMustBeUtf8() {
        var event = ApiEvents.post("/auth/sign-up", Base64.getEncoder().encodeToString("{\"email\":\"A@B.co\"}".getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);
        assertThat(new ApiRequest(event).body().requiredEmail("email")).isEqualTo("a@b.co");

        var invalid = ApiEvents.post("/auth/sign-up", Base64.getEncoder().encodeToString(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}));
        invalid.setIsBase64Encoded(true);
        assertThatThrownBy(() -> new ApiRequest(invalid).body()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void missingBody_isRefused() {
        assertThatThrownBy(() -> parse(null)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("required");
    }

    @Test
    void unknownFields_areRefusedByName() {
        assertThatThrownBy(() -> parse("{\"email\":\"a@b.co\",\"roles\":[\"admin\"]}").allowOnly("email"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'roles'");
    }

    static Stream<Arguments> badStrings() {
        return Stream.of(
                Arguments.of("number", "{\"name\":42}"),
                Arguments.of("boolean", "{\"name\":true}"),
                Arguments.of("null", "{\"name\":null}"),
                Arguments.of("object", "{\"name\":{}}"),
                Arguments.of("array", "{\"name\":[\"x\"]}"),
                Arguments.of("blank", "{\"name\":\"   \"}"),
                Arguments.of("control character", "{\"name\":\"a\\u0000b\"}"),
                Arguments.of("newline", "{\"name\":\"a\\nb\"}"),
                Arguments.of("lone surrogate", "{\"name\":\"a\\ud800b\"}"),
                Arguments.of("too long", "{\"name\":\"" + "x".repeat(129) + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStrings")
    void stringFields_mustBeCleanStrings(String name, String body) {
        assertThatThrownBy(() -> parse(body).optionalString("name", 128)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'name'");
    }

    @Test
    void emails_areTrimmedAndLowerCased() {
        assertThat(parse("{\"email\":\"  Alice.Smith+x@Example.COM \"}").requiredEmail("email")).isEqualTo("alice.smith+x@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plainaddress", "@example.com", "a@", "a@b", "a b@c.com", "a@@b.com", "a@b..com", "a@-b.com", ".a@b.com"})
    void invalidEmails_areRefused(String email) {
        assertThatThrownBy(() -> parse("{\"email\":\"" + email + "\"}").requiredEmail("email"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("e-mail");
    }

    @Test
    void passwords_areKeptExactly() {
        assertThat(parse("{\"password\":\" Pa ss w0rd! \"}").requiredPassword("password")).isEqualTo(" Pa ss w0rd! ");
        assertThatThrownBy(() -> parse("{\"password\":\"" + "x".repeat(257) + "\"}").requiredPassword("password"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("{\"password\":123}").requiredPassword("password")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void stringLists_areChecked() {
        assertThat(parse("{\"roles\":[\"user\",\"admin\",\"user\"]}").requiredStringList("roles", 10, 64)).containsExactly("user", "admin");
        assertThatThrownBy(() -> parse("{\"roles\":\"admin\"}").requiredStringList("roles", 10, 64)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("{\"roles\":[1]}").requiredStringList("roles", 10, 64)).isInstanceOf(InvalidRequestException.class);
    }
}
