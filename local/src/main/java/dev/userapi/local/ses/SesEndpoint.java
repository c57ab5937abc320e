package dev.userapi.local.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import dev.userapi.local.http.LocalHttpServer;
import dev.userapi.local.outbox.Outbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stand-in for Amazon SES v2's {@code SendEmail} ({@code POST /v2/email/outbound-emails}, REST/JSON): the
 * functions' {@code SES_ENDPOINT} points here, so the API's own messages ({@code core.mail.SesMailer}, unchanged)
 * land in the {@link Outbox}, one message per recipient, with the message tag {@code kind} as the outbox kind
 * and the text's last line {@code Code: <code>}, when there is one, as its code. Simple content only (what the
 * mailer sends); no signature check. Errors answer as SES does: a status, {@code x-amzn-ErrorType} and
 * {@code {"message": ...}}.
 */
public final class SesEndpoint implements AutoCloseable {
    static final String PATH = "/v2/email/outbound-emails";
    private static final Pattern CODE_LINE = Pattern.compile("(?:^|\\n)Code: (\\S+)\\s*$");
    private static final int MAX_BODY = 256 * 1024;

    private final Outbox outbox;
    private final AtomicLong sent = new AtomicLong();
    private final LocalHttpServer server;

    public SesEndpoint(Outbox outbox, int port) {
        this.outbox = outbox;
        this.server = LocalHttpServer.start("the local SES endpoint", InetAddress.getLoopbackAddress(), port, 2, this::handle,
                "let it pick a free port");
    }

    /** {@code http://127.0.0.1:<port>}, for {@code SES_ENDPOINT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod()) || !PATH.equals(exchange.getRequestURI().getPath())) {
                error(exchange, 404, "NotFoundException", "The local SES endpoint serves only POST " + PATH);
                return;
            }
            byte[] body = Exchanges.readBody(exchange, MAX_BODY);
            JsonNode request;
            try {
                request = body == null ? null : Json.readTree(new String(body, StandardCharsets.UTF_8));
            } catch (IOException e) {
                request = null;
            }
            if (request == null) {
                error(exchange, 400, "BadRequestException", "The body is not JSON.");
                return;
            }
            String from = request.path("FromEmailAddress").asText("");
            JsonNode to = request.path("Destination").path("ToAddresses");
            JsonNode simple = request.path("Content").path("Simple");
            String text = simple.path("Body").path("Text").path("Data").asText(null);
            if (from.isBlank() || !to.isArray() || to.isEmpty() || text == null) {
                error(exchange, 400, "BadRequestException", "FromEmailAddress, Destination.ToAddresses and Content.Simple.Body.Text are required.");
                return;
            }
            String kind = "EMAIL";
            for (JsonNode tag : request.path("EmailTags")) {
                if ("kind".equals(tag.path("Name").asText())) {
                    kind = tag.path("Value").asText(kind);
                }
            }
            Matcher code = CODE_LINE.matcher(text);
            String subject = simple.path("Subject").path("Data").asText("");
            for (JsonNode address : to) {
                outbox.deliver(address.asText(), kind, code.find() ? code.group(1) : null, subject + "\n\n" + text);
                code.reset();
            }
            Exchanges.sendJson(exchange, 200, Json.write(Map.of("MessageId", "local-" + sent.incrementAndGet())));
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        Exchanges.send(exchange, status, Map.of("Content-Type", List.of("application/json"), "x-amzn-ErrorType", List.of(type)),
                Json.write(Map.of("message", message)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
